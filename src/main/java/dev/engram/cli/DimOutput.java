package dev.engram.cli;

import dev.engram.Json;
import dev.engram.app.Dim;
import dev.engram.dim.Estimator.Estimate;
import dev.engram.dim.Pointwise;
import dev.engram.store.DimReport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What {@code engram dim} prints: reports, local IDs and sweeps, as tables or JSON Lines. */
final class DimOutput {

    private DimOutput() {
    }

    static void reports(Output out, List<DimReport> reports) {
        // Error-bar columns only when some report has them, so plain runs keep their narrow table.
        List<Map<?, ?>> parameters = new ArrayList<>();
        for (DimReport r : reports) {
            parameters.add(Json.LINES.fromJson(r.parameters(), Map.class));
        }
        boolean errorBars = parameters.stream().anyMatch(p -> p.containsKey("sd"));
        Output.Table table = errorBars
                ? new Output.Table("report", "target", "estimator", "estimate", "sd", "ci95", "points", "parameters",
                        "time")
                : new Output.Table("report", "target", "estimator", "estimate", "points", "parameters", "time");
        for (int i = 0; i < reports.size(); i++) {
            DimReport r = reports.get(i);
            Map<?, ?> p = parameters.get(i);
            if (out.json()) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("report", r.id());
                json.put("target", r.target());
                json.put("estimator", r.estimator());
                json.put("estimate", r.estimate());
                if (p.containsKey("sd")) {
                    json.put("sd", p.get("sd"));
                    json.put("ci95", p.get("ci95"));
                }
                json.put("points", r.points());
                json.put("parameters", p);
                json.put("seed", r.seed());
                json.put("time", r.createdAt().toString());
                out.jsonLine(json);
            } else if (errorBars) {
                table.row(r.id(), r.target(), r.estimator(), r.estimate(), cell(p.get("sd")), interval(p.get("ci95")),
                        r.points(), tableParameters(r, p), r.createdAt());
            } else {
                table.row(r.id(), r.target(), r.estimator(), r.estimate(), r.points(), tableParameters(r, p),
                        r.createdAt());
            }
        }
        if (!out.json()) {
            table.print(out, "");
        }
    }

    /** A local-ID report's distribution is long and has a table of its own (--pointwise); here only its k. */
    private static String tableParameters(DimReport r, Map<?, ?> p) {
        if (r.estimator().endsWith("-local") && p.containsKey("quantiles")) {
            return "{\"k\":" + ((Number) p.get("k")).intValue() + ", distribution: --json}";
        }
        return r.parameters();
    }

    private static Object cell(Object value) {
        return value == null ? "-" : value;
    }

    private static String interval(Object ci95) {
        if (ci95 instanceof List<?> bounds && bounds.size() == 2) {
            return "[" + Output.number(((Number) bounds.get(0)).doubleValue()) + ", "
                    + Output.number(((Number) bounds.get(1)).doubleValue()) + "]";
        }
        return "-";
    }

    /**
     * After the reports: with {@code points}, every point's local IDs; otherwise a table of their
     * distributions (with --json nothing more, as the reports' parameters hold them).
     */
    static void pointwise(Output out, List<Dim.Measurement> measured, boolean points) {
        if (points) {
            pointValues(out, measured);
            return;
        }
        if (out.json()) {
            return;
        }
        out.line("");
        Output.Table table = new Output.Table("report", "target", "estimator", "mean", "sd", "q5", "q25", "q50",
                "q75", "q95", "histogram (min..max)");
        for (Dim.Measurement m : measured) {
            for (DimReport r : m.reports()) {
                Pointwise.Summary s = m.summaries().get(r.estimator());
                if (s != null) {
                    double[] q = s.quantiles();
                    table.row(r.id(), r.target(), r.estimator(), r.estimate(), s.sd(), q[0], q[1], q[2], q[3], q[4],
                            Output.number(s.min()) + " |" + s.sparkline() + "| " + Output.number(s.max()));
                }
            }
        }
        table.print(out, "");
    }

    private static void pointValues(Output out, List<Dim.Measurement> measured) {
        Output.Table table = new Output.Table("target", "point", "source", "mle-local", "twonn-local");
        for (Dim.Measurement m : measured) {
            double[] mle = m.pointValues().get("mle-local");
            double[] twonn = m.pointValues().get("twonn-local");
            for (int i = 0; i < m.original().length; i++) {
                int point = m.original()[i];
                String source = m.sources() == null ? null : m.sources()[point];
                if (out.json()) {
                    Map<String, Object> json = new LinkedHashMap<>();
                    json.put("target", m.target());
                    json.put("point", point);
                    json.put("source", source);
                    json.put("mle-local", finiteOrNull(mle[i]));
                    json.put("twonn-local", finiteOrNull(twonn[i]));
                    out.jsonLine(json);
                } else {
                    table.row(m.target(), point, source == null ? "-" : source, mle[i], twonn[i]);
                }
            }
        }
        if (!out.json()) {
            out.line("");
            table.print(out, "");
        }
    }

    /** One row for the raw inputs, then one per latent size, with each estimate of the raw row. */
    static void sweep(Output out, Dim.Swept swept) {
        List<String> keys = swept.raw().estimates().stream().map(Estimate::key).toList();
        List<String> headers = new ArrayList<>(List.of("latent", "mse", "knee"));
        headers.addAll(keys);
        Output.Table table = new Output.Table(headers.toArray(String[]::new));
        sweepRow(out, table, keys, swept.raw(), null, null, false);
        for (Dim.Latent latent : swept.latents()) {
            sweepRow(out, table, keys, latent.measurement(), latent.size(), latent.mse(), latent.knee());
        }
        if (!out.json()) {
            table.print(out, "");
        }
    }

    /** @param latent null for the raw inputs, as {@code mse} */
    private static void sweepRow(Output out, Output.Table table, List<String> keys, Dim.Measurement m,
                                 Integer latent, Double mse, boolean knee) {
        if (out.json()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("target", m.target());
            json.put("latent", latent);
            json.put("mse", mse);
            json.put("knee", knee);
            Map<String, Object> ids = new LinkedHashMap<>();
            for (String key : keys) {
                ids.put(key, finiteOrNull(m.value(key)));
            }
            json.put("estimates", ids);
            json.put("reports", m.reports().stream().map(DimReport::id).toList());
            out.jsonLine(json);
        } else {
            List<Object> cells = new ArrayList<>(List.of(latent == null ? "raw" : Integer.toString(latent),
                    mse == null ? "-" : mse, knee ? "*" : ""));
            for (String key : keys) {
                cells.add(m.value(key));
            }
            table.row(cells.toArray());
        }
    }

    private static Double finiteOrNull(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
