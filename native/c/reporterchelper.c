/*
 * libreporterchelper.so: the two JNI methods of com.oracle.svm.hosted.ProgressReporterCHelper,
 * which the native-image builder itself loads (from JAVA_HOME/lib/svm/builder/lib) to print its
 * progress: the builder's peak resident set size, and the terminal's width. See native/README.md.
 */
#include <jni.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <unistd.h>

/* Peak resident set size of this process in bytes (Linux reports ru_maxrss in KiB), or -1. */
JNIEXPORT jlong JNICALL Java_com_oracle_svm_hosted_ProgressReporterCHelper_getPeakRSS0(JNIEnv *env, jclass cls) {
    struct rusage usage;
    (void) env;
    (void) cls;
    if (getrusage(RUSAGE_SELF, &usage) != 0) {
        return -1;
    }
    return (jlong) usage.ru_maxrss * 1024;
}

/* Columns of the terminal on stdout, else stderr; -1 when neither is a terminal. */
JNIEXPORT jint JNICALL Java_com_oracle_svm_hosted_ProgressReporterCHelper_getTerminalWindowColumns0(JNIEnv *env,
                                                                                                   jclass cls) {
    struct winsize size;
    (void) env;
    (void) cls;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
        return size.ws_col;
    }
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
        return size.ws_col;
    }
    return -1;
}
