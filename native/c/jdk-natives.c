/*
 * Natives of the JDK the builder runs on that Debian's openjdk-25-jvmci-jdk static libraries
 * (25.0.2) do not have: the image is compiled from the running JDK's class library (Temurin
 * 25.0.3 here), whose Java code may call a native that was added in an update. Linked into
 * libjvm.a. See native/README.md.
 */
#include <jni.h>
#include <unistd.h>

/*
 * java.io.Console.ttyStatus (25.0.3, replacing istty): a bit per standard stream that is a
 * terminal, as Console's TTY_STDIN_MASK (1), TTY_STDOUT_MASK (2) and TTY_STDERR_MASK (4).
 */
JNIEXPORT __attribute__((weak)) jint JNICALL Java_java_io_Console_ttyStatus(JNIEnv *env, jclass cls) {
    (void) env;
    (void) cls;
    return (isatty(STDIN_FILENO) ? 1 : 0) | (isatty(STDOUT_FILENO) ? 2 : 0) | (isatty(STDERR_FILENO) ? 4 : 0);
}
