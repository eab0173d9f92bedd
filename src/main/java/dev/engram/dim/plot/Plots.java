package dev.engram.dim.plot;

import dev.engram.dim.Estimator;
import dev.engram.dim.Gride;
import dev.engram.dim.TwoNN;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/** The charts {@code engram dim --plot} draws. */
public final class Plots {

    private Plots() {
    }

    /**
     * A bottleneck sweep: reconstruction error against latent size (left axis, log2 x), the knee
     * as a dashed line, and on the right axis each estimator's ID of the latent space at each size
     * with the raw data's ID as a flat reference line.
     *
     * @param latentIds estimator → ID per size (NaN where it could not be estimated)
     * @param rawIds    estimator → ID of the raw inputs
     * @param knee      the knee's latent size, or 0 for none
     */
    public static Chart sweep(String space, int[] sizes, double[] mse, Map<String, double[]> latentIds,
                              Map<String, Double> rawIds, int knee) {
        double[] x = Arrays.stream(sizes).asDoubleStream().toArray();
        Chart chart = new Chart("Bottleneck sweep of space " + space, "latent size", Chart.Scale.LOG2)
                .leftAxis("reconstruction MSE per value").rightAxis("intrinsic dimension");
        chart.add(new Chart.Series("MSE", x, mse, null, Chart.Axis.LEFT, true, true, Chart.color(0)));
        int c = 1;
        for (Map.Entry<String, double[]> e : latentIds.entrySet()) {
            java.awt.Color color = Chart.color(c++);
            chart.add(new Chart.Series("ID of latent (" + e.getKey() + ")", x, e.getValue(), null, Chart.Axis.RIGHT,
                    true, true, color));
            Double raw = rawIds.get(e.getKey());
            if (raw != null && Double.isFinite(raw)) {
                double[] flat = new double[x.length];
                Arrays.fill(flat, raw);
                chart.add(new Chart.Series(String.format(Locale.ROOT, "ID of raw inputs (%s) = %.2f", e.getKey(), raw),
                        x, flat, null, Chart.Axis.RIGHT, true, false, color.darker().darker()));
            }
        }
        if (knee > 0) {
            chart.marker(knee, "knee (Kneedle): " + knee);
        }
        return chart;
    }

    /** The chart of an estimator's fit: TwoNN's line, or Gride's ID by scale. */
    public static Chart fit(String target, Estimator.Fit fit) {
        return switch (fit) {
            case TwoNN.Result r -> twoNN(target, r);
            case Gride.Result r -> gride(target, r);
        };
    }

    /** TwoNN's fit: −log(1 − F(mu)) against log mu for the fitted points, and the line through the origin. */
    public static Chart twoNN(String target, TwoNN.Result r) {
        double maxX = Arrays.stream(r.x()).max().orElse(1);
        Chart chart = new Chart("TwoNN fit, " + target, "log(mu),  mu = r2 / r1", Chart.Scale.LINEAR)
                .leftAxis("-log(1 - F(mu))");
        chart.add(new Chart.Series("points (" + r.pointsFitted() + " fitted of " + r.pointsUsed() + ")", r.x(), r.y(),
                null, Chart.Axis.LEFT, false, true, Chart.color(0)));
        chart.add(new Chart.Series(String.format(Locale.ROOT, "slope d = %.3f", r.dimension()),
                new double[] {0, maxX}, new double[] {0, r.dimension() * maxX}, null, Chart.Axis.LEFT, true, false,
                Chart.color(1)));
        chart.note(String.format(Locale.ROOT, "Facco et al. 2017; maximum likelihood (N-1)/sum log mu = %.3f",
                r.maximumLikelihood()));
        return chart;
    }

    /** Gride's ID against scale (the mean distance to the n1-th and n2-th neighbours), with Fisher error bars. */
    public static Chart gride(String target, Gride.Result r) {
        int n = r.scales().size();
        double[] x = new double[n];
        double[] y = new double[n];
        double[] e = new double[n];
        for (int i = 0; i < n; i++) {
            Gride.Scale s = r.scales().get(i);
            x[i] = s.n1();
            y[i] = s.dimension();
            e[i] = s.error();
        }
        Chart chart = new Chart("Gride: ID by scale, " + target, "neighbour rank n1 (n2 = 2 n1)", Chart.Scale.LOG2)
                .leftAxis("intrinsic dimension");
        chart.add(new Chart.Series("Gride ID +/- Fisher error", x, y, e, Chart.Axis.LEFT, true, true, Chart.color(0)));
        StringBuilder distances = new StringBuilder("mean distance at scale:");
        for (Gride.Scale s : r.scales()) {
            distances.append(String.format(Locale.ROOT, " %d: %.3g", s.n1(), s.distance()));
        }
        chart.note("Denti et al. 2022");
        chart.note(distances.toString());
        return chart;
    }

    /**
     * A space laid out in two dimensions (engram map): one colour per concept (the most common
     * first), points whose concept is not among the first 19 grey as "other"; a concept's
     * thumbnail, if given, at the centre of its points.
     *
     * @param concept each point's concept label, or null for an unbound trace
     */
    public static Chart layout(String title, String method, double[][] xy, java.util.List<String> concept,
                               Map<String, java.awt.image.BufferedImage> thumbnails) {
        Map<String, Integer> counts = new java.util.HashMap<>();
        concept.forEach(c -> counts.merge(c == null ? "(unbound)" : c, 1, Integer::sum));
        java.util.List<String> order = counts.keySet().stream()
                .sorted((a, b) -> counts.get(a).equals(counts.get(b)) ? a.compareTo(b) : counts.get(b) - counts.get(a))
                .toList();
        int shown = order.size() <= Chart.PALETTE.length ? order.size() : Chart.PALETTE.length - 1;
        Chart chart = new Chart(title, method + " 1", Chart.Scale.LINEAR).leftAxis(method + " 2");
        for (int s = 0; s <= shown && s < order.size(); s++) {
            boolean other = s == shown;
            java.util.Set<String> names = other ? java.util.Set.copyOf(order.subList(shown, order.size()))
                    : java.util.Set.of(order.get(s));
            int[] of = java.util.stream.IntStream.range(0, xy.length)
                    .filter(i -> names.contains(concept.get(i) == null ? "(unbound)" : concept.get(i))).toArray();
            double[] x = Arrays.stream(of).mapToDouble(i -> xy[i][0]).toArray();
            double[] y = Arrays.stream(of).mapToDouble(i -> xy[i][1]).toArray();
            String name = other ? "other (" + names.size() + " concepts, " + x.length + ")"
                    : order.get(s) + " (" + x.length + ")";
            java.awt.Color colour = other ? new java.awt.Color(0xb0b0b0) : Chart.color(s);
            chart.add(new Chart.Series(name, x, y, null, Chart.Axis.LEFT, false, true, colour));
            java.awt.image.BufferedImage picture = other ? null : thumbnails.get(order.get(s));
            if (picture != null && x.length > 0) {
                // At the concept's centre in the layout, framed in its colour.
                chart.picture(Arrays.stream(x).average().orElse(0), Arrays.stream(y).average().orElse(0), picture, colour);
            }
        }
        return chart;
    }
}
