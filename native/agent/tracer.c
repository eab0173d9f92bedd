/*
 * engram's tracing agent (libengram-tracer.so): records what a JVM run of engram reaches
 * dynamically, which a native image must know at build time: classes looked up by name, members
 * queried or looked up by reflection and method handles, resources, dynamic proxies, and every
 * class, method and field native code asks for through JNI. GraalVM's own tracing agent is not
 * published for 25.x (native/README.md), so engram's metadata is traced with this one:
 *
 *   java -agentpath:libengram-tracer.so=DIR ...   appends one JSON line per fact to DIR/trace-PID.jsonl
 *
 * and native/Metadata.java merges the traces of a whole test run into reachability-metadata.json.
 * JNI calls are seen by replacing entries of the JNI function table (JVMTI SetJNIFunctionTable);
 * reflection by breakpoints at the start of the JDK methods everything else goes through, whose
 * arguments are read as local variables (JVMTI GetLocal*). Over-recording is harmless (a larger
 * image); a fact missed is a failure in the image, which the launcher tests then show.
 */
#include <jni.h>
#include <jvmti.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static jvmtiEnv *jvmti;
static FILE *out;
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
static jniNativeInterface *original;
static __thread int inside; /* a callback's own Java calls are not traced */

/* --- output: one JSON object per line; strings escaped */

static void put_string(const char *s) {
    fputc('"', out);
    for (; s != NULL && *s; s++) {
        unsigned char c = (unsigned char) *s;
        if (c == '"' || c == '\\') {
            fputc('\\', out);
            fputc(c, out);
        } else if (c < 0x20) {
            fprintf(out, "\\u%04x", c);
        } else {
            fputc(c, out);
        }
    }
    fputc('"', out);
}

static char *caller_of(jthread thread, jint depth);
static void release(char *p);
static void record_line(const char *kind, const char *type, const char *name, const char *signature,
                        const char *caller);

/*
 * Writes {"k": kind, "t": type, "n": name, "s": signature, "c": caller}, leaving out the null
 * ones; the caller is the class of the Java frame at depth (-1: none), which tells the product's
 * own lookups from the JDK's internal ones when the traces are merged.
 */
static void record_from(const char *kind, const char *type, const char *name, const char *signature, jthread thread,
                        jint depth) {
    char *caller = depth >= 0 ? caller_of(thread, depth) : NULL;
    record_line(kind, type, name, signature, caller);
    release(caller);
}

static void record_line(const char *kind, const char *type, const char *name, const char *signature,
                        const char *caller) {
    if (out == NULL || type == NULL) {
        return;
    }
    pthread_mutex_lock(&out_lock);
    fputs("{\"k\":", out);
    put_string(kind);
    fputs(",\"t\":", out);
    put_string(type);
    if (name != NULL) {
        fputs(",\"n\":", out);
        put_string(name);
    }
    if (signature != NULL) {
        fputs(",\"s\":", out);
        put_string(signature);
    }
    if (caller != NULL) {
        fputs(",\"c\":", out);
        put_string(caller);
    }
    fputs("}\n", out);
    fflush(out);
    pthread_mutex_unlock(&out_lock);
}

/* The JVM signature of a class object ("Ljava/lang/String;"), to be freed with jvmti Deallocate. */
static char *signature_of(jclass c) {
    char *signature = NULL;
    if (c == NULL || (*jvmti)->GetClassSignature(jvmti, c, &signature, NULL) != JVMTI_ERROR_NONE) {
        return NULL;
    }
    return signature;
}

static void release(char *p) {
    if (p != NULL) {
        (*jvmti)->Deallocate(jvmti, (unsigned char *) p);
    }
}

/* Whether a class signature names a JDK class (java.*, javax.*, jdk.*, sun.*, com.sun.*). */
static int jdk_class(const char *signature) {
    return strncmp(signature, "Ljava/", 6) == 0 || strncmp(signature, "Ljavax/", 7) == 0
           || strncmp(signature, "Ljdk/", 5) == 0 || strncmp(signature, "Lsun/", 5) == 0
           || strncmp(signature, "Lcom/sun/", 9) == 0;
}

/*
 * The class that asked: the first frame from depth up whose class is not the JDK's (the JDK does
 * much on behalf of its caller: loading a library runs its JNI_OnLoad, a ServiceLoader reflects),
 * else the frame at depth itself, which the merge then leaves out as the JDK's own lookup.
 * NULL thread: this one.
 */
static char *caller_of(jthread thread, jint depth) {
    char *first = NULL;
    for (jint d = depth; d < depth + 40; d++) {
        jmethodID method;
        jlocation location;
        jclass owner;
        if ((*jvmti)->GetFrameLocation(jvmti, thread, d, &method, &location) != JVMTI_ERROR_NONE
            || (*jvmti)->GetMethodDeclaringClass(jvmti, method, &owner) != JVMTI_ERROR_NONE) {
            break;
        }
        char *signature = signature_of(owner);
        if (signature == NULL) {
            continue;
        }
        if (!jdk_class(signature)) {
            release(first);
            return signature;
        }
        if (first == NULL) {
            first = signature;
        } else {
            release(signature);
        }
    }
    return first;
}

/* A parameter list "(Ljava/lang/String;I)" made from a Class[] (null: empty). */
static char *parameters_of(JNIEnv *env, jobjectArray types) {
    size_t capacity = 256, length = 1;
    char *list = malloc(capacity);
    list[0] = '(';
    jsize count = types == NULL ? 0 : original->GetArrayLength(env, types);
    for (jsize i = 0; i < count; i++) {
        jclass type = (jclass) original->GetObjectArrayElement(env, types, i);
        char *signature = signature_of(type);
        const char *s = signature != NULL ? signature : "?";
        size_t n = strlen(s);
        if (length + n + 2 > capacity) {
            capacity = (length + n + 2) * 2;
            list = realloc(list, capacity);
        }
        memcpy(list + length, s, n);
        length += n;
        release(signature);
        original->DeleteLocalRef(env, type);
    }
    list[length++] = ')';
    list[length] = '\0';
    return list;
}

/* --- JNI: the lookups native code makes */

static jclass JNICALL traced_FindClass(JNIEnv *env, const char *name) {
    jclass found = original->FindClass(env, name);
    if (found != NULL && !inside) {
        char signature[1024];
        snprintf(signature, sizeof signature, name[0] == '[' ? "%s" : "L%s;", name);
        record_from("jni-type", signature, NULL, NULL, NULL, 0);
    }
    return found;
}

static void jni_member(const char *kind, jclass c, const char *name, const char *signature) {
    if (inside) {
        return;
    }
    char *type = signature_of(c);
    record_from(kind, type, name, signature, NULL, 0);
    release(type);
}

/* traced_NAME: the JNI function NAME (a member ID lookup), recording each member it finds. */
#define TRACED_MEMBER_LOOKUP(NAME, ID, KIND) \
    static ID JNICALL traced_##NAME(JNIEnv *env, jclass c, const char *name, const char *signature) { \
        ID id = original->NAME(env, c, name, signature); \
        if (id != NULL) { \
            jni_member(KIND, c, name, signature); \
        } \
        return id; \
    }

TRACED_MEMBER_LOOKUP(GetMethodID, jmethodID, "jni-method")
TRACED_MEMBER_LOOKUP(GetStaticMethodID, jmethodID, "jni-method")
TRACED_MEMBER_LOOKUP(GetFieldID, jfieldID, "jni-field")
TRACED_MEMBER_LOOKUP(GetStaticFieldID, jfieldID, "jni-field")

/* --- reflection: breakpoints at the start of these methods */

enum argument { NONE, STRING, CLASSES, STRING_CLASSES, CLASS_METHOD_TYPE, CLASS_STRING_METHOD_TYPE, CLASS_ARG,
                LOADER_CLASSES };

struct traced {
    const char *owner, *name, *signature;
    int is_static;
    enum argument argument;
    const char *kind;
    jmethodID id;
};

static struct traced traced[] = {
    {"java/lang/Class", "forName", "(Ljava/lang/String;)Ljava/lang/Class;", 1, STRING, "class", NULL},
    {"java/lang/Class", "forName", "(Ljava/lang/String;ZLjava/lang/ClassLoader;)Ljava/lang/Class;", 1, STRING, "class", NULL},
    {"java/lang/Class", "getDeclaredFields", "()[Ljava/lang/reflect/Field;", 0, NONE, "all-declared-fields", NULL},
    {"java/lang/Class", "getFields", "()[Ljava/lang/reflect/Field;", 0, NONE, "all-public-fields", NULL},
    {"java/lang/Class", "getDeclaredMethods", "()[Ljava/lang/reflect/Method;", 0, NONE, "all-declared-methods", NULL},
    {"java/lang/Class", "getMethods", "()[Ljava/lang/reflect/Method;", 0, NONE, "all-public-methods", NULL},
    {"java/lang/Class", "getDeclaredConstructors", "()[Ljava/lang/reflect/Constructor;", 0, NONE, "all-declared-constructors", NULL},
    {"java/lang/Class", "getConstructors", "()[Ljava/lang/reflect/Constructor;", 0, NONE, "all-public-constructors", NULL},
    {"java/lang/Class", "getRecordComponents", "()[Ljava/lang/reflect/RecordComponent;", 0, NONE, "record", NULL},
    {"java/lang/Class", "getDeclaredField", "(Ljava/lang/String;)Ljava/lang/reflect/Field;", 0, STRING, "field", NULL},
    {"java/lang/Class", "getField", "(Ljava/lang/String;)Ljava/lang/reflect/Field;", 0, STRING, "field", NULL},
    {"java/lang/Class", "getDeclaredMethod", "(Ljava/lang/String;[Ljava/lang/Class;)Ljava/lang/reflect/Method;", 0, STRING_CLASSES, "method", NULL},
    {"java/lang/Class", "getMethod", "(Ljava/lang/String;[Ljava/lang/Class;)Ljava/lang/reflect/Method;", 0, STRING_CLASSES, "method", NULL},
    {"java/lang/Class", "getDeclaredConstructor", "([Ljava/lang/Class;)Ljava/lang/reflect/Constructor;", 0, CLASSES, "constructor", NULL},
    {"java/lang/Class", "getConstructor", "([Ljava/lang/Class;)Ljava/lang/reflect/Constructor;", 0, CLASSES, "constructor", NULL},
    {"java/lang/Class", "getResource", "(Ljava/lang/String;)Ljava/net/URL;", 0, STRING, "class-resource", NULL},
    {"java/lang/Class", "getResourceAsStream", "(Ljava/lang/String;)Ljava/io/InputStream;", 0, STRING, "class-resource", NULL},
    {"java/lang/ClassLoader", "getResource", "(Ljava/lang/String;)Ljava/net/URL;", 0, STRING, "resource", NULL},
    {"java/lang/ClassLoader", "getResources", "(Ljava/lang/String;)Ljava/util/Enumeration;", 0, STRING, "resource", NULL},
    {"java/lang/ClassLoader", "getResourceAsStream", "(Ljava/lang/String;)Ljava/io/InputStream;", 0, STRING, "resource", NULL},
    /* resource bundles by base name: the image must be told of each (picocli's help texts) */
    {"java/util/ResourceBundle", "getBundle", "(Ljava/lang/String;)Ljava/util/ResourceBundle;", 1, STRING, "bundle", NULL},
    {"java/util/ResourceBundle", "getBundle", "(Ljava/lang/String;Ljava/util/Locale;)Ljava/util/ResourceBundle;", 1, STRING, "bundle", NULL},
    {"java/util/ResourceBundle", "getBundle", "(Ljava/lang/String;Ljava/util/Locale;Ljava/lang/ClassLoader;)Ljava/util/ResourceBundle;", 1, STRING, "bundle", NULL},
    {"java/util/ResourceBundle", "getBundle", "(Ljava/lang/String;Ljava/util/ResourceBundle$Control;)Ljava/util/ResourceBundle;", 1, STRING, "bundle", NULL},
    {"java/util/ResourceBundle", "getBundle", "(Ljava/lang/String;Ljava/util/Locale;Ljava/util/ResourceBundle$Control;)Ljava/util/ResourceBundle;", 1, STRING, "bundle", NULL},
    {"java/util/ResourceBundle", "getBundle", "(Ljava/lang/String;Ljava/util/Locale;Ljava/lang/ClassLoader;Ljava/util/ResourceBundle$Control;)Ljava/util/ResourceBundle;", 1, STRING, "bundle", NULL},
    {"java/lang/invoke/MethodHandles$Lookup", "findVirtual", "(Ljava/lang/Class;Ljava/lang/String;Ljava/lang/invoke/MethodType;)Ljava/lang/invoke/MethodHandle;", 0, CLASS_STRING_METHOD_TYPE, "method", NULL},
    {"java/lang/invoke/MethodHandles$Lookup", "findStatic", "(Ljava/lang/Class;Ljava/lang/String;Ljava/lang/invoke/MethodType;)Ljava/lang/invoke/MethodHandle;", 0, CLASS_STRING_METHOD_TYPE, "method", NULL},
    {"java/lang/invoke/MethodHandles$Lookup", "findConstructor", "(Ljava/lang/Class;Ljava/lang/invoke/MethodType;)Ljava/lang/invoke/MethodHandle;", 0, CLASS_METHOD_TYPE, "constructor", NULL},
    {"java/lang/reflect/Proxy", "newProxyInstance", "(Ljava/lang/ClassLoader;[Ljava/lang/Class;Ljava/lang/reflect/InvocationHandler;)Ljava/lang/Object;", 1, LOADER_CLASSES, "proxy", NULL},
    {"jdk/internal/misc/Unsafe", "allocateInstance", "(Ljava/lang/Class;)Ljava/lang/Object;", 0, CLASS_ARG, "unsafe-allocated", NULL},
};

#define TRACED (sizeof traced / sizeof traced[0])

static char *string_value(JNIEnv *env, jobject s) {
    if (s == NULL) {
        return NULL;
    }
    const char *utf = original->GetStringUTFChars(env, (jstring) s, NULL);
    char *copy = utf != NULL ? strdup(utf) : NULL;
    if (utf != NULL) {
        original->ReleaseStringUTFChars(env, (jstring) s, utf);
    }
    return copy;
}

static jobject local(jthread thread, jint slot) {
    jobject value = NULL;
    if ((*jvmti)->GetLocalObject(jvmti, thread, 0, slot, &value) != JVMTI_ERROR_NONE) {
        return NULL;
    }
    return value;
}

/* The descriptor "(...)R" of a MethodType, asked of the object itself. */
static char *method_type_descriptor(JNIEnv *env, jobject type) {
    if (type == NULL) {
        return NULL;
    }
    jclass c = original->GetObjectClass(env, type);
    jmethodID m = original->GetMethodID(env, c, "toMethodDescriptorString", "()Ljava/lang/String;");
    if (m == NULL) {
        original->ExceptionClear(env);
        return NULL;
    }
    jobject s = original->CallObjectMethod(env, type, m);
    if (original->ExceptionCheck(env)) {
        original->ExceptionClear(env);
        return NULL;
    }
    char *value = string_value(env, s);
    original->DeleteLocalRef(env, s);
    return value;
}

static void JNICALL on_breakpoint(jvmtiEnv *j, JNIEnv *env, jthread thread, jmethodID method, jlocation location) {
    (void) j;
    (void) location;
    if (inside) {
        return;
    }
    struct traced *t = NULL;
    for (size_t i = 0; i < TRACED; i++) {
        if (traced[i].id == method) {
            t = &traced[i];
            break;
        }
    }
    if (t == NULL) {
        return;
    }
    inside = 1;
    int first = t->is_static ? 0 : 1; /* slot of the first argument */
    jobject receiver = t->is_static ? NULL : local(thread, 0);
    char *type = NULL, *name = NULL, *signature = NULL;
    switch (t->argument) {
        case NONE:
            if (receiver != NULL && strcmp(t->owner, "java/lang/Class") == 0) {
                type = signature_of((jclass) receiver);
            }
            break;
        case STRING:
            name = string_value(env, local(thread, first));
            if (strcmp(t->owner, "java/lang/Class") == 0 && receiver != NULL) {
                type = signature_of((jclass) receiver);
            }
            break;
        case CLASSES:
            type = receiver != NULL ? signature_of((jclass) receiver) : NULL;
            signature = parameters_of(env, (jobjectArray) local(thread, first));
            break;
        case STRING_CLASSES:
            type = receiver != NULL ? signature_of((jclass) receiver) : NULL;
            name = string_value(env, local(thread, first));
            signature = parameters_of(env, (jobjectArray) local(thread, first + 1));
            break;
        case CLASS_STRING_METHOD_TYPE:
            type = signature_of((jclass) local(thread, first));
            name = string_value(env, local(thread, first + 1));
            signature = method_type_descriptor(env, local(thread, first + 2));
            break;
        case CLASS_METHOD_TYPE:
            type = signature_of((jclass) local(thread, first));
            signature = method_type_descriptor(env, local(thread, first + 1));
            break;
        case CLASS_ARG:
            type = signature_of((jclass) local(thread, first));
            break;
        case LOADER_CLASSES:
            signature = parameters_of(env, (jobjectArray) local(thread, first + 1));
            break;
    }
    if (strcmp(t->kind, "class") == 0 || strcmp(t->kind, "resource") == 0 || strcmp(t->kind, "bundle") == 0
            || strcmp(t->kind, "proxy") == 0) {
        /* the fact is the name (or the interfaces): no owning type */
        if (name != NULL || signature != NULL) {
            record_from(t->kind, name != NULL ? name : "", NULL, signature, thread, 1);
        }
    } else if (strcmp(t->kind, "class-resource") == 0) {
        record_from(t->kind, type != NULL ? type : "", name, NULL, thread, 1);
    } else if (type != NULL) {
        record_from(t->kind, type, name, signature, thread, 1);
    }
    release(type); /* from JVMTI; the other two from malloc */
    free(name);
    free(signature);
    inside = 0;
}

static void JNICALL on_vm_init(jvmtiEnv *j, JNIEnv *env, jthread thread) {
    (void) thread;
    if ((*j)->GetJNIFunctionTable(j, &original) == JVMTI_ERROR_NONE) {
        jniNativeInterface *table = malloc(sizeof *table);
        memcpy(table, original, sizeof *table);
        table->FindClass = traced_FindClass;
        table->GetMethodID = traced_GetMethodID;
        table->GetStaticMethodID = traced_GetStaticMethodID;
        table->GetFieldID = traced_GetFieldID;
        table->GetStaticFieldID = traced_GetStaticFieldID;
        (*j)->SetJNIFunctionTable(j, table);
    }
    for (size_t i = 0; i < TRACED; i++) {
        jclass owner = original->FindClass(env, traced[i].owner);
        if (owner == NULL) {
            original->ExceptionClear(env);
            continue;
        }
        traced[i].id = traced[i].is_static
                ? original->GetStaticMethodID(env, owner, traced[i].name, traced[i].signature)
                : original->GetMethodID(env, owner, traced[i].name, traced[i].signature);
        if (traced[i].id == NULL) {
            original->ExceptionClear(env);
            continue;
        }
        (*j)->SetBreakpoint(j, traced[i].id, 0);
    }
    (*j)->SetEventNotificationMode(j, JVMTI_ENABLE, JVMTI_EVENT_BREAKPOINT, NULL);
}

JNIEXPORT jint JNICALL Agent_OnLoad(JavaVM *vm, char *options, void *reserved) {
    (void) reserved;
    if ((*vm)->GetEnv(vm, (void **) &jvmti, JVMTI_VERSION_1_2) != JNI_OK) {
        return JNI_ERR;
    }
    jvmtiCapabilities capabilities;
    memset(&capabilities, 0, sizeof capabilities);
    capabilities.can_generate_breakpoint_events = 1;
    capabilities.can_access_local_variables = 1;
    if ((*jvmti)->AddCapabilities(jvmti, &capabilities) != JVMTI_ERROR_NONE) {
        fprintf(stderr, "engram-tracer: the JVM cannot give the capabilities it needs\n");
        return JNI_ERR;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/trace-%ld.jsonl", options != NULL && *options ? options : ".", (long) getpid());
    out = fopen(path, "a");
    if (out == NULL) {
        fprintf(stderr, "engram-tracer: cannot write %s\n", path);
        return JNI_ERR;
    }
    jvmtiEventCallbacks callbacks;
    memset(&callbacks, 0, sizeof callbacks);
    callbacks.VMInit = on_vm_init;
    callbacks.Breakpoint = on_breakpoint;
    (*jvmti)->SetEventCallbacks(jvmti, &callbacks, sizeof callbacks);
    (*jvmti)->SetEventNotificationMode(jvmti, JVMTI_ENABLE, JVMTI_EVENT_VM_INIT, NULL);
    return JNI_OK;
}
