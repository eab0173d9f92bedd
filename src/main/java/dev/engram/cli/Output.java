package dev.engram.cli;

import dev.engram.Json;
import dev.engram.app.Progress;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Data on stdout: one JSON object per line with {@code --json}, otherwise aligned tables. */
final class Output {
    private final PrintWriter out;
    private final boolean json;

    Output(PrintWriter out, boolean json) {
        this.out = out;
        this.json = json;
    }

    boolean json() {
        return json;
    }

    void jsonLine(Object value) {
        out.println(Json.LINES.toJson(value));
        out.flush();
    }

    void line(String text) {
        out.println(text);
    }

    void flush() {
        out.flush();
    }

    static String number(double value) {
        return Progress.number(value);
    }

    /** A table whose columns are as wide as their widest cell. */
    static final class Table {
        private final String[] headers;
        private final List<String[]> rows = new ArrayList<>();

        Table(String... headers) {
            this.headers = headers;
        }

        Table row(Object... cells) {
            String[] row = new String[cells.length];
            for (int i = 0; i < cells.length; i++) {
                row[i] = cells[i] instanceof Double d ? number(d) : String.valueOf(cells[i]);
            }
            rows.add(row);
            return this;
        }

        void print(Output output, String indent) {
            int[] widths = new int[headers.length];
            for (int i = 0; i < headers.length; i++) {
                widths[i] = headers[i].length();
                for (String[] row : rows) {
                    widths[i] = Math.max(widths[i], row[i].length());
                }
            }
            output.line(indent + format(headers, widths));
            for (String[] row : rows) {
                output.line(indent + format(row, widths));
            }
        }

        private static String format(String[] cells, int[] widths) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < cells.length; i++) {
                if (i > 0) {
                    line.append("  ");
                }
                boolean last = i == cells.length - 1;
                line.append(last ? cells[i] : String.format(Locale.ROOT, "%-" + widths[i] + "s", cells[i]));
            }
            return line.toString();
        }
    }
}
