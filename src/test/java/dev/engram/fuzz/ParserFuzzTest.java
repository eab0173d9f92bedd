package dev.engram.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Timeout;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A fuzz target of a parser: Jazzer's {@link FuzzTest} (saved inputs only, unless JAZZER_FUZZ is
 * set), and a bound on each input's time, so that a hang is a finding. In a separate thread, so
 * that a loop that ignores interruption still fails the saved input that causes it; when
 * fuzzing, Jazzer applies the bound to every input instead.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@FuzzTest
@interface ParserFuzzTest {
}
