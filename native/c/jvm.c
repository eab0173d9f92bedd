/*
 * libjvm.a: the JVM_* and jio_* functions of HotSpot's interface that the JDK's static
 * libraries (libjava.a, libzip.a, libnio.a, libnet.a, ...) call and a native image does not
 * provide itself. SubstrateVM implements most of the JDK's natives in Java; the C code it
 * links in from those libraries still calls a few of these. Every definition is weak, so that
 * one the image defines itself wins. Every other JVM_* those libraries name is defined by the
 * generated jvm-stubs.c as a function that reports its name and aborts (native/README.md):
 * reaching one is a bug to fix here, never a silent wrong answer.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define WEAK __attribute__((weak))

/* Called by the image (com.oracle.svm.core.jdk.Jvm) each time it loads a native library; nothing to set up. */
WEAK void initialize(void) {
}

/* --- the end of the process: System.exit reaches Shutdown.halt0, which the JDK implements with these */

WEAK void JVM_BeforeHalt(void) {
}

WEAK void JVM_Halt(int code) {
    exit(code);
}

/* --- raw monitors: the zip library's lock on its open archives (a recursive mutex) */

WEAK void *JVM_RawMonitorCreate(void) {
    pthread_mutexattr_t attributes;
    pthread_mutex_t *mutex = malloc(sizeof *mutex);
    if (mutex == NULL) {
        return NULL;
    }
    pthread_mutexattr_init(&attributes);
    pthread_mutexattr_settype(&attributes, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(mutex, &attributes);
    pthread_mutexattr_destroy(&attributes);
    return mutex;
}

WEAK void JVM_RawMonitorDestroy(void *monitor) {
    if (monitor != NULL) {
        pthread_mutex_destroy(monitor);
        free(monitor);
    }
}

WEAK int JVM_RawMonitorEnter(void *monitor) {
    return pthread_mutex_lock(monitor) == 0 ? 0 : -1;
}

WEAK void JVM_RawMonitorExit(void *monitor) {
    pthread_mutex_unlock(monitor);
}

/* --- formatted output as the JDK's C code does it (jio_*: plain C library calls here) */

WEAK int jio_vsnprintf(char *buffer, size_t size, const char *format, va_list arguments) {
    if (size == 0) {
        return -1;
    }
    int n = vsnprintf(buffer, size, format, arguments);
    return n < 0 || (size_t) n >= size ? -1 : n;
}

WEAK int jio_snprintf(char *buffer, size_t size, const char *format, ...) {
    va_list arguments;
    va_start(arguments, format);
    int n = jio_vsnprintf(buffer, size, format, arguments);
    va_end(arguments);
    return n;
}

WEAK int jio_vfprintf(FILE *stream, const char *format, va_list arguments) {
    return vfprintf(stream, format, arguments);
}

WEAK int jio_fprintf(FILE *stream, const char *format, ...) {
    va_list arguments;
    va_start(arguments, format);
    int n = vfprintf(stream, format, arguments);
    va_end(arguments);
    return n;
}

/* --- libraries, processors, paths */

WEAK void *JVM_FindLibraryEntry(void *handle, const char *name) {
    return dlsym(handle, name);
}

WEAK int JVM_ActiveProcessorCount(void) {
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0) {
        return CPU_COUNT(&set);
    }
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    return online > 0 ? (int) online : 1;
}

/* The image links the C library dynamically (AWT's shared libraries beside it load the same way). */
WEAK unsigned char JVM_IsStaticallyLinked(void) {
    return 0;
}

/* Paths need no translation on Linux. */
WEAK char *JVM_NativePath(char *path) {
    return path;
}

WEAK long JVM_CurrentTimeMillis(void *env, void *ignored) {
    struct timespec now;
    (void) env;
    (void) ignored;
    clock_gettime(CLOCK_REALTIME, &now);
    return (long) now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

WEAK long JVM_NanoTime(void *env, void *ignored) {
    struct timespec now;
    (void) env;
    (void) ignored;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long) now.tv_sec * 1000000000L + now.tv_nsec;
}

/* Nanoseconds from offset_seconds to now (CLOCK_REALTIME), or -1 when they do not fit in 2^32 seconds. */
WEAK long JVM_GetNanoTimeAdjustment(void *env, void *ignored, long offset_seconds) {
    struct timespec now;
    (void) env;
    (void) ignored;
    clock_gettime(CLOCK_REALTIME, &now);
    long seconds = (long) now.tv_sec - offset_seconds;
    if (seconds >= (1L << 32) || seconds <= -(1L << 32)) {
        return -1;
    }
    return seconds * 1000000000L + now.tv_nsec;
}

/* --- answers for the JDK code the image links but does not normally run */

WEAK void *JVM_GetManagement(int version) {
    (void) version;
    return NULL;
}

WEAK unsigned char JVM_IsContainerized(void) {
    return 0; /* as libsvm_container here: see container.c */
}

WEAK unsigned char JVM_IsUseContainerSupport(void) {
    return 1;
}

/* JNI versions 1.1, 1.2, 1.4, 1.6, 1.8, 9, 10, 19, 20, 21 and 24 (jni.h's JNI_VERSION_* values). */
WEAK unsigned char JVM_IsSupportedJNIVersion(int version) {
    static const int known[] = {0x00010001, 0x00010002, 0x00010004, 0x00010006, 0x00010008, 0x00090000,
                                0x000a0000, 0x00130000, 0x00140000, 0x00150000, 0x00180000};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        if (known[i] == version) {
            return 1;
        }
    }
    return 0;
}

WEAK void *JVM_LoadLibrary(const char *name, unsigned char throw_exception) {
    (void) throw_exception;
    return dlopen(name, RTLD_LAZY);
}

WEAK void JVM_UnloadLibrary(void *handle) {
    if (handle != NULL) {
        dlclose(handle);
    }
}

WEAK void *JVM_GetVmArguments(void *env) {
    (void) env;
    return NULL;
}

WEAK void *JVM_InitAgentProperties(void *env, void *properties) {
    (void) env;
    return properties;
}

/* --- glibc 2.38's C23 names: the Debian trixie static libraries call them, glibc 2.36 lacks them.
   They differ from the classic functions only in accepting 0b binary literals, which the JDK's
   callers never parse. */

WEAK long __isoc23_strtol(const char *s, char **end, int base) {
    return strtol(s, end, base);
}

WEAK int __isoc23_vsscanf(const char *s, const char *format, va_list arguments) {
    return vsscanf(s, format, arguments);
}

WEAK int __isoc23_sscanf(const char *s, const char *format, ...) {
    va_list arguments;
    va_start(arguments, format);
    int n = vsscanf(s, format, arguments);
    va_end(arguments);
    return n;
}

WEAK int __isoc23_fscanf(FILE *stream, const char *format, ...) {
    va_list arguments;
    va_start(arguments, format);
    int n = vfscanf(stream, format, arguments);
    va_end(arguments);
    return n;
}

/* What every generated stub calls: one line naming the entry point, then abort (exit 134). */
void engram_jvm_entry_unavailable(const char *name) {
    fprintf(stderr, "engram: internal error: the native image reached %s, a JVM entry point it does not"
            " provide (native/README.md); run with the JVM instead: ENGRAM_NATIVE=0\n", name);
    abort();
}
