package dev.engram.dim;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Reference values from mpmath at 30 digits ({@code mp.digamma}, {@code mp.besseli}). */
class SpecialFunctionsTest {

    @ParameterizedTest
    @CsvSource({
            "1, -0.57721566490153286061",
            "0.5, -1.9635100260214234794",
            "2.5, 0.70315664064524318723",
            "7.3, 1.9178203356379860984",
            "25.1, 3.2028152753594787284",
            "100, 4.6001618527380874002",
    })
    void digamma(double x, double expected) {
        assertEquals(expected, SpecialFunctions.digamma(x), 2e-15 * Math.max(1, Math.abs(expected)));
    }

    /** On both sides of the switch from the power series to the asymptotic expansion at 20, and past I0's overflow. */
    @ParameterizedTest
    @CsvSource({
            "0, 0, 0, 1, 0",
            "0.5, 0.061549719185481303941, 0.24249961258080194535, 0.64503527044915006811, 0.15642080318487169714",
            "5, 3.3046817758225334338, 0.89338313704408522159, 0.18354081260932835307, 0.16397226694454235693",
            "19.9, 17.492149818621351986, 0.97454146585793120128, 0.090008588864389594038, 0.087717102131706098075",
            "20.1, 17.687083876788979734, 0.97479824759824658783, 0.089553763620613447243, 0.08729685184320159495",
            "50, 47.127575501871804584, 0.98994896737849775259, 0.05656162664745419253, 0.055993123892895399644",
            "800, 795.73891195074501878, 0.99937480444288129405, 0.014106945005869183979, 0.014098125406526996648",
    })
    void besselI(double x, double logI0, double ratio, double i0e, double i1e) {
        assertEquals(logI0, SpecialFunctions.logBesselI0(x), 1e-14 * Math.max(1, logI0));
        assertEquals(ratio, SpecialFunctions.besselRatio(x), 1e-14);
        assertEquals(i0e, SpecialFunctions.scaledBesselI(0, x), 1e-15);
        assertEquals(i1e, SpecialFunctions.scaledBesselI(1, x), 1e-15);
    }
}
