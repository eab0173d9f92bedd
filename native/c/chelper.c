/*
 * liblibchelper.a: the small C helpers SubstrateVM's Java code calls on Linux (the @CFunction
 * declarations of com.oracle.svm.core.LibCHelper, posix.linux.LinuxLibCHelper, c.locale.
 * LocaleCHelper, posix.headers.CSunMiscSignal, posix.headers.Fcntl, posix.thread.PosixVMThreads
 * and CodeSynchronizationOperations in the svm jar), written for engram from those declarations.
 * CPU features are in cpufeatures.c. See native/README.md.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <semaphore.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "svm_locale.h"

extern char **environ;

/* The process environment, for System.getenv. */
char **getEnviron(void) {
    return environ;
}

/* --- threads */

int getThreadId(void) {
    return (int) syscall(SYS_gettid);
}

/*
 * CPU time a thread of this process spent in user mode, in nanoseconds, from field 14 (utime,
 * in clock ticks) of /proc/self/task/TID/stat; -1 when it cannot be read.
 */
long getThreadUserTimeSlow(int tid) {
    char path[64];
    char line[1024];
    snprintf(path, sizeof path, "/proc/self/task/%d/stat", tid);
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        return -1;
    }
    size_t n = fread(line, 1, sizeof line - 1, f);
    fclose(f);
    line[n] = '\0';
    /* The command name (field 2) is in parentheses and may hold spaces: count from its end. */
    char *p = strrchr(line, ')');
    if (p == NULL) {
        return -1;
    }
    p++;
    unsigned long utime = 0;
    for (int field = 3; field <= 14; field++) {
        while (*p == ' ') {
            p++;
        }
        if (*p == '\0') {
            return -1;
        }
        if (field == 14) {
            utime = strtoul(p, NULL, 10);
            break;
        }
        while (*p != ' ' && *p != '\0') {
            p++;
        }
    }
    long ticks = sysconf(_SC_CLK_TCK);
    return ticks > 0 ? (long) (utime * (1000000000UL / (unsigned long) ticks)) : -1;
}

/* --- fixed-argument forms of variadic libc functions (Java calls need a fixed signature) */

int openSII(const char *path, int flags, int mode) {
    return open(path, flags, mode);
}

int openatISII(int dirfd, const char *path, int flags, int mode) {
    return openat(dirfd, path, flags, mode);
}

int fprintfSD(FILE *stream, const char *format, const char *s, int d) {
    return fprintf(stream, format, s, d);
}

void *mremapP(void *old_address, size_t old_size, size_t new_size, int flags, void *new_address) {
    return mremap(old_address, old_size, new_size, flags, new_address);
}

/* x86-64 keeps instruction and data caches coherent: nothing to flush after code is written. */
void clearCache(long start, long end) {
    (void) start;
    (void) end;
}

/* --- time zone */

static char *zone_after_zoneinfo(const char *path) {
    const char *marker = "zoneinfo/";
    const char *at = strstr(path, marker);
    if (at == NULL) {
        return NULL;
    }
    at += strlen(marker);
    /* zoneinfo/posix/Europe/Paris and zoneinfo/right/... name the same zone */
    if (strncmp(at, "posix/", 6) == 0) {
        at += 6;
    } else if (strncmp(at, "right/", 6) == 0) {
        at += 6;
    }
    return *at == '\0' ? NULL : strdup(at);
}

/*
 * The platform's time zone ID (e.g. "Europe/Paris"), newly allocated, or NULL when none is
 * found (Java then names the zone by its GMT offset). In order: TZ, /etc/timezone, the
 * target of the /etc/localtime link. The arguments (the JDK's tzmappings, for Windows) are
 * not used on Linux.
 */
char *SVM_FindJavaTZmd(const char *tzmappings, int length) {
    (void) tzmappings;
    (void) length;
    const char *tz = getenv("TZ");
    if (tz != NULL && *tz != '\0') {
        if (*tz == ':') {
            tz++;
        }
        char *zone = zone_after_zoneinfo(tz);
        return zone != NULL ? zone : strdup(tz);
    }
    FILE *f = fopen("/etc/timezone", "r");
    if (f != NULL) {
        char line[256];
        char *read = fgets(line, sizeof line, f);
        fclose(f);
        if (read != NULL) {
            line[strcspn(line, " \t\r\n")] = '\0';
            if (line[0] != '\0') {
                return strdup(line);
            }
        }
    }
    char target[4096];
    ssize_t n = readlink("/etc/localtime", target, sizeof target - 1);
    if (n > 0) {
        target[n] = '\0';
        return zone_after_zoneinfo(target);
    }
    return NULL;
}

/* --- locale */

static svm_locale_props_t locale_props;

/*
 * Splits a POSIX locale name, language[_COUNTRY][.encoding][@modifier], into the Java
 * properties' parts. "C" and "POSIX" are English; a modifier is the variant.
 */
static int split_locale(const char *name, char **language, char **script, char **country, char **variant) {
    char buffer[256];
    if (name == NULL || strcmp(name, "C") == 0 || strcmp(name, "POSIX") == 0 || strncmp(name, "C.", 2) == 0) {
        name = "en";
    }
    snprintf(buffer, sizeof buffer, "%s", name);
    char *modifier = strchr(buffer, '@');
    if (modifier != NULL) {
        *modifier++ = '\0';
    }
    char *encoding = strchr(buffer, '.');
    if (encoding != NULL) {
        *encoding = '\0';
    }
    char *region = strchr(buffer, '_');
    if (region != NULL) {
        *region++ = '\0';
    }
    *language = strdup(buffer);
    *script = strdup("");
    *country = strdup(region != NULL ? region : "");
    *variant = strdup(modifier != NULL ? modifier : "");
    return *language != NULL && *script != NULL && *country != NULL && *variant != NULL;
}

int svm_initialize_locale(void) {
    setlocale(LC_ALL, "");
    const char *display = setlocale(LC_MESSAGES, NULL);
    const char *format = setlocale(LC_CTYPE, NULL);
    if (!split_locale(display, &locale_props.display_language, &locale_props.display_script,
                      &locale_props.display_country, &locale_props.display_variant)
        || !split_locale(format, &locale_props.format_language, &locale_props.format_script,
                         &locale_props.format_country, &locale_props.format_variant)) {
        return SVM_LOCALE_INITIALIZATION_OUT_OF_MEMORY;
    }
    return SVM_LOCALE_INITIALIZATION_SUCCEEDED;
}

svm_locale_props_t *svm_get_locale(void) {
    return &locale_props;
}

/* --- signals for sun.misc.Signal: a handler counts each signal and wakes one dispatcher thread */

static sem_t signal_semaphore;
static volatile sig_atomic_t pending_signals[NSIG];

int cSunMiscSignal_open(void) {
    for (int i = 0; i < NSIG; i++) {
        pending_signals[i] = 0;
    }
    return sem_init(&signal_semaphore, 0, 0) == 0 ? 0 : errno;
}

int cSunMiscSignal_close(void) {
    return sem_destroy(&signal_semaphore) == 0 ? 0 : errno;
}

/* Waits until a signal arrived (or the dispatcher is told to stop); 0, or errno. */
int cSunMiscSignal_awaitSemaphore(void) {
    while (sem_wait(&signal_semaphore) != 0) {
        if (errno != EINTR) {
            return errno;
        }
    }
    return 0;
}

int cSunMiscSignal_signalSemaphore(void) {
    return sem_post(&signal_semaphore) == 0 ? 0 : errno;
}

int cSunMiscSignal_signalRangeCheck(int signal) {
    return signal > 0 && signal < NSIG;
}

/* A signal that arrived and was not dispatched yet (one arrival taken from its count), or -1. */
int cSunMiscSignal_checkPendingSignal(void) {
    for (int i = 1; i < NSIG; i++) {
        int count = pending_signals[i];
        if (count > 0 && __sync_bool_compare_and_swap(&pending_signals[i], count, count - 1)) {
            return i;
        }
    }
    return -1;
}

/* The handler installed for Java-handled signals: async-signal-safe (an atomic add and sem_post). */
static void count_signal(int signal) {
    if (signal > 0 && signal < NSIG) {
        __sync_fetch_and_add(&pending_signals[signal], 1);
        sem_post(&signal_semaphore);
    }
}

void *cSunMiscSignal_signalHandlerFunctionPointer(void) {
    return (void *) count_signal;
}
