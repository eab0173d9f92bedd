/**
 * Generators the Maven build runs (the man pages, from the picocli command tree); compiled from
 * {@code src/build/java} beside engram, never packed into its jar.
 */
package dev.engram.build;
