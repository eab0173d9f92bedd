/**
 * The command line: one class per subcommand, shared options as picocli mixins. Commands parse,
 * open the store and print; the work itself lives in the model's packages.
 */
package dev.engram.cli;
