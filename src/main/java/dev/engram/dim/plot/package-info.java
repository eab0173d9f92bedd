/**
 * PNG charts of intrinsic-dimension measurements (a bottleneck sweep, the TwoNN fit, Gride's
 * scale curve), drawn with Java2D alone so that they work headless and need no plotting library.
 */
package dev.engram.dim.plot;
