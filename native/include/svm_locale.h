/*
 * The locale SubstrateVM reads at start-up (com.oracle.svm.core.c.locale.LocaleCHelper): the
 * POSIX locale of the process split into language, script, country and variant, for display
 * (LC_MESSAGES) and for formatting (LC_CTYPE), as Java's user.language etc. properties.
 * Written for engram from the declarations in the svm jar; see native/README.md.
 */
#ifndef ENGRAM_SVM_LOCALE_H
#define ENGRAM_SVM_LOCALE_H

#define SVM_LOCALE_INITIALIZATION_SUCCEEDED 0
#define SVM_LOCALE_INITIALIZATION_OUT_OF_MEMORY 1

typedef struct {
    char *display_language;
    char *display_script;
    char *display_country;
    char *display_variant;
    char *format_language;
    char *format_script;
    char *format_country;
    char *format_variant;
} svm_locale_props_t;

int svm_initialize_locale(void);
svm_locale_props_t *svm_get_locale(void);

#endif
