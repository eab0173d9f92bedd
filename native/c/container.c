/*
 * libsvm_container.a: the container queries of com.oracle.svm.core.container.ContainerLibrary
 * (svm jar), which SubstrateVM's own library answers from cgroups. This one reports every
 * process as not containerized, so a native engram sizes its heap and threads by the machine
 * (physical memory, online processors), as a JVM with -XX:-UseContainerSupport does; the
 * getters for container limits are then never asked. See native/README.md.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <unistd.h>

/* The interface version this library implements (ContainerLibrary.VERSION in svm 25.0.2). */
#define VERSION 240100
#define SUCCESS_IS_NOT_CONTAINERIZED 0
#define ERROR_LIBCONTAINER_TOO_OLD 2
#define ERROR_LIBCONTAINER_TOO_NEW 3

int svm_container_initialize(int version) {
    if (version > VERSION) {
        return ERROR_LIBCONTAINER_TOO_OLD;
    }
    if (version < VERSION) {
        return ERROR_LIBCONTAINER_TOO_NEW;
    }
    return SUCCESS_IS_NOT_CONTAINERIZED;
}

unsigned long svm_container_physical_memory(void) {
    long pages = sysconf(_SC_PHYS_PAGES);
    long size = sysconf(_SC_PAGESIZE);
    return pages > 0 && size > 0 ? (unsigned long) pages * (unsigned long) size : 0;
}

/* The processors this process may run on (its affinity mask), at least 1. */
int svm_container_active_processor_count(void) {
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        int count = CPU_COUNT(&set);
        if (count > 0) {
            return count;
        }
    }
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    return online > 0 ? (int) online : 1;
}

/* No container, hence no limits: -1 ("unlimited"/"unknown", as HotSpot's OSContainer says). */
long svm_container_memory_limit_in_bytes(void) { return -1; }
long svm_container_memory_and_swap_limit_in_bytes(void) { return -1; }
long svm_container_memory_soft_limit_in_bytes(void) { return -1; }
long svm_container_memory_usage_in_bytes(void) { return -1; }
long svm_container_memory_max_usage_in_bytes(void) { return -1; }
long svm_container_rss_usage_in_bytes(void) { return -1; }
long svm_container_cache_usage_in_bytes(void) { return -1; }
