/*
 * The x86-64 half of liblibchelper.a: which CPU features this processor has
 * (com.oracle.svm.core.amd64.AMD64LibCHelper in the svm jar), asked with CPUID and, for the
 * register states the AVX families need, XGETBV. Bit positions are those of the Intel 64 and
 * IA-32 Architectures Software Developer's Manual (vol. 2A, CPUID) and AMD's CPUID
 * Specification. A native image records the features it was compiled for and checks them at
 * start: a feature not detected here is one the image may not use. See native/README.md.
 */
#include <cpuid.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amd64cpufeatures.h"

#define BIT(value, n) ((char) (((value) >> (n)) & 1u))

static uint64_t xcr0(void) {
    uint32_t eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((uint64_t) edx << 32) | eax;
}

void determineCPUFeatures(CPUFeatures *f) {
    unsigned int eax, ebx, ecx, edx;
    memset(f, 0, sizeof *f);
    unsigned int max = __get_cpuid_max(0, NULL);
    unsigned int max_extended = __get_cpuid_max(0x80000000u, NULL);
    if (max < 1) {
        return;
    }
    __cpuid(1, eax, ebx, ecx, edx);
    unsigned int ecx1 = ecx, edx1 = edx;
    f->fTSC = BIT(edx1, 4);
    f->fCX8 = BIT(edx1, 8);
    f->fCMOV = BIT(edx1, 15);
    f->fFLUSH = BIT(edx1, 19);
    f->fMMX = BIT(edx1, 23);
    f->fFXSR = BIT(edx1, 24);
    f->fSSE = BIT(edx1, 25);
    f->fSSE2 = BIT(edx1, 26);
    f->fHT = BIT(edx1, 28) && ((ebx >> 16) & 0xff) > 1;
    f->fSSE3 = BIT(ecx1, 0);
    f->fCLMUL = BIT(ecx1, 1);
    f->fSSSE3 = BIT(ecx1, 9);
    f->fSSE4_1 = BIT(ecx1, 19);
    f->fSSE4_2 = BIT(ecx1, 20);
    f->fPOPCNT = BIT(ecx1, 23);
    f->fAES = BIT(ecx1, 25);
    f->fHV = BIT(ecx1, 31);

    /* AVX needs the OS to save the YMM state (OSXSAVE, and XCR0 bits 1 and 2); AVX-512 also
       the opmask and ZMM states (XCR0 bits 5, 6 and 7). */
    uint64_t states = BIT(ecx1, 27) ? xcr0() : 0;
    int avx_state = (states & 0x6) == 0x6;
    int avx512_state = avx_state && (states & 0xe0) == 0xe0;
    if (avx_state) {
        f->fAVX = BIT(ecx1, 28);
        f->fFMA = BIT(ecx1, 12);
        f->fF16C = BIT(ecx1, 29);
        f->fVZEROUPPER = f->fAVX;
    }

    if (max >= 7) {
        __cpuid_count(7, 0, eax, ebx, ecx, edx);
        unsigned int subleaves = eax;
        f->fBMI1 = BIT(ebx, 3);
        f->fBMI2 = BIT(ebx, 8);
        f->fERMS = BIT(ebx, 9);
        f->fRTM = BIT(ebx, 11);
        f->fADX = BIT(ebx, 19);
        f->fFLUSHOPT = BIT(ebx, 23);
        f->fCLWB = BIT(ebx, 24);
        f->fSHA = BIT(ebx, 29);
        f->fPKU = BIT(ecx, 3);
        f->fOSPKE = BIT(ecx, 4);
        f->fCET_SS = BIT(ecx, 7);
        f->fGFNI = BIT(ecx, 8);
        f->fRDPID = BIT(ecx, 22);
        f->fFSRM = BIT(edx, 4);
        f->fSERIALIZE = BIT(edx, 14);
        f->fCET_IBT = BIT(edx, 20);
        if (avx_state) {
            f->fAVX2 = BIT(ebx, 5);
        }
        if (avx512_state) {
            f->fAVX512F = BIT(ebx, 16);
            f->fAVX512DQ = BIT(ebx, 17);
            f->fAVX512_IFMA = BIT(ebx, 21);
            f->fAVX512PF = BIT(ebx, 26);
            f->fAVX512ER = BIT(ebx, 27);
            f->fAVX512CD = BIT(ebx, 28);
            f->fAVX512BW = BIT(ebx, 30);
            f->fAVX512VL = BIT(ebx, 31);
            f->fAVX512_VBMI = BIT(ecx, 1);
            f->fAVX512_VBMI2 = BIT(ecx, 6);
            f->fAVX512_VAES = BIT(ecx, 9);
            f->fAVX512_VPCLMULQDQ = BIT(ecx, 10);
            f->fAVX512_VNNI = BIT(ecx, 11);
            f->fAVX512_BITALG = BIT(ecx, 12);
            f->fAVX512_VPOPCNTDQ = BIT(ecx, 14);
            f->fAVX512_FP16 = BIT(edx, 23);
        }
        if (subleaves >= 1) {
            __cpuid_count(7, 1, eax, ebx, ecx, edx);
            if (avx_state) {
                f->fSHA512 = BIT(eax, 0);
                f->fAVX_IFMA = BIT(eax, 23);
            }
            /* AVX10 and APX are left undetected: an image compiled for them is refused. */
        }
    }

    if (max_extended >= 0x80000001u) {
        __cpuid(0x80000001u, eax, ebx, ecx, edx);
        f->fLZCNT = BIT(ecx, 5);
        f->fSSE4A = BIT(ecx, 6);
        f->fAMD_3DNOW_PREFETCH = BIT(ecx, 8);
        f->fRDTSCP = BIT(edx, 27);
    }
    if (max_extended >= 0x80000007u) {
        __cpuid(0x80000007u, eax, ebx, ecx, edx);
        f->fTSCINV_BIT = BIT(edx, 8);
        f->fTSCINV = f->fTSCINV_BIT;
    }
}

/*
 * The build-time mask is the image's record of what it was compiled for: sizeof(CPUFeatures)
 * rounded up to 8 bytes, 0xFE at the offset of every feature the image requires and 0xFF
 * everywhere else. A feature is there when its byte here is 1, so each byte of mask | features
 * must be 0xFF. Returns 0 when every required feature is there, else 1.
 */
int checkCPUFeatures(const char *buildtime) {
    unsigned char features[(sizeof(CPUFeatures) + 7) / 8 * 8];
    memset(features, 0, sizeof features);
    determineCPUFeatures((CPUFeatures *) features);
    const unsigned char *mask = (const unsigned char *) buildtime;
    for (size_t i = 0; i < sizeof features; i++) {
        if ((unsigned char) (mask[i] | features[i]) != 0xFF) {
            return 1;
        }
    }
    return 0;
}

/* checkCPUFeatures, writing the image's message (as given) and exiting with status 1 when features are missing. */
int checkCPUFeaturesOrExit(const char *buildtime, const char *message) {
    int result = checkCPUFeatures(buildtime);
    if (result != 0) {
        fputs(message, stderr);
        exit(1);
    }
    return result;
}
