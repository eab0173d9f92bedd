/**
 * Benchmark helpers run by {@code bin/bench}, not by users of engram: they open a store the CLI
 * has filled, or train a model themselves, and measure what the CLI does not report (HNSW recall
 * against exact search, recall accuracy, plain against concept-shaped spaces), or kill the CLI
 * and check the store it leaves ({@link dev.engram.bench.KillHarness}, which the test suite's
 * CrashIT runs too). Compiled from {@code src/bench/java} into {@code target/engram-bench.jar},
 * beside engram's jar, never into it, and into the tests' classes.
 */
package dev.engram.bench;
