package dev.engram.dim.plot;

import dev.engram.EngramException;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small x–y chart: series drawn as lines, markers or both against a left axis or an optional
 * right one, vertical marker lines, error bars, a legend. Axes are linear or base-2
 * logarithmic. Enough for engram's plots and no more.
 */
public final class Chart {
    public enum Scale { LINEAR, LOG2 }

    public enum Axis { LEFT, RIGHT }

    /** One series; {@code errors} may be null, else a half-width per point drawn as a bar. */
    public record Series(String name, double[] x, double[] y, double[] errors, Axis axis, boolean line,
                         boolean markers, Color color) {
    }

    private record Marker(double x, String label, Color color) {
    }

    /** Matplotlib's "tab20" colours, the saturated ten first (the first seven in engram's earlier order). */
    static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
            new Color(0x9467bd), new Color(0xff7f0e), new Color(0x8c564b), new Color(0x17becf),
            new Color(0xe377c2), new Color(0xbcbd22), new Color(0x7f7f7f), new Color(0xaec7e8),
            new Color(0xffbb78), new Color(0x98df8a), new Color(0xff9896), new Color(0xc5b0d5),
            new Color(0xc49c94), new Color(0xf7b6d2), new Color(0xdbdb8d), new Color(0x9edae5), new Color(0xc7c7c7)};

    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;
    private static final int LEFT = 90;
    private static final int RIGHT_PLAIN = 30;
    private static final int RIGHT_AXIS = 80;
    private static final int TOP = 50;
    private static final int BOTTOM = 70;
    private static final int LEGEND_ROW = 18;

    private final String title;
    private final String xLabel;
    private final Scale xScale;
    private String leftLabel = "";
    private String rightLabel;
    private final List<Series> series = new ArrayList<>();
    private final List<Marker> markers = new ArrayList<>();
    private final List<Picture> pictures = new ArrayList<>();

    /** A small picture drawn centred on a point of the plot (left axis), framed in a colour. */
    private record Picture(double x, double y, BufferedImage image, Color frame) {
    }

    /** Draws {@code image} (scaled to 44 pixels, pixels kept sharp) centred at (x, y) over the series. */
    public Chart picture(double x, double y, BufferedImage image, Color frame) {
        pictures.add(new Picture(x, y, image, frame));
        return this;
    }
    private final List<String> notes = new ArrayList<>();

    public Chart(String title, String xLabel, Scale xScale) {
        this.title = title;
        this.xLabel = xLabel;
        this.xScale = xScale;
    }

    public Chart leftAxis(String label) {
        this.leftLabel = label;
        return this;
    }

    public Chart rightAxis(String label) {
        this.rightLabel = label;
        return this;
    }

    public Chart add(Series s) {
        series.add(s);
        return this;
    }

    public Chart marker(double x, String label) {
        markers.add(new Marker(x, label, new Color(0x555555)));
        return this;
    }

    /** A line of text in the top-left corner of the plot area. */
    public Chart note(String text) {
        notes.add(text);
        return this;
    }

    public static Color color(int i) {
        return PALETTE[i % PALETTE.length];
    }

    private int legendHeight() {
        return LEGEND_ROW * ((series.size() + 1) / 2) + 10;
    }

    public BufferedImage render() {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            draw(g);
        } finally {
            g.dispose();
        }
        return image;
    }

    public void write(Path file) {
        BufferedImage image = render();
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (!ImageIO.write(image, "png", file.toFile())) {
                throw EngramException.internal("no PNG writer in this JDK", null);
            }
        } catch (IOException e) {
            throw EngramException.invalidInput("cannot write plot " + file + ": " + e.getMessage(), e);
        }
    }

    private void draw(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        int right = rightLabel == null ? RIGHT_PLAIN : RIGHT_AXIS;
        int plotW = WIDTH - LEFT - right;
        int plotH = HEIGHT - TOP - BOTTOM - legendHeight();

        double[] xr = range(Axis.LEFT, true);
        double[] left = range(Axis.LEFT, false);
        double[] rightRange = rightLabel == null ? null : range(Axis.RIGHT, false);
        Frame frame = new Frame(LEFT, TOP, plotW, plotH, xr, xScale);

        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        centred(g, title, LEFT + plotW / 2, 28);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(new Color(0xdddddd));
        g.drawRect(LEFT, TOP, plotW, plotH);

        // x ticks
        for (double t : ticks(xr, xScale)) {
            int px = (int) Math.round(frame.px(t));
            g.setColor(new Color(0xeeeeee));
            g.drawLine(px, TOP, px, TOP + plotH);
            g.setColor(Color.BLACK);
            g.drawLine(px, TOP + plotH, px, TOP + plotH + 5);
            centred(g, format(t), px, TOP + plotH + 20);
        }
        centred(g, xLabel, LEFT + plotW / 2, TOP + plotH + 42);
        // left ticks
        for (double t : ticks(left, Scale.LINEAR)) {
            int py = (int) Math.round(frame.py(t, left));
            g.setColor(new Color(0xeeeeee));
            g.drawLine(LEFT, py, LEFT + plotW, py);
            g.setColor(Color.BLACK);
            g.drawLine(LEFT - 5, py, LEFT, py);
            String s = format(t);
            g.drawString(s, LEFT - 8 - g.getFontMetrics().stringWidth(s), py + 4);
        }
        vertical(g, leftLabel, 20, TOP + plotH / 2);
        if (rightRange != null) {
            for (double t : ticks(rightRange, Scale.LINEAR)) {
                int py = (int) Math.round(frame.py(t, rightRange));
                g.drawLine(LEFT + plotW, py, LEFT + plotW + 5, py);
                g.drawString(format(t), LEFT + plotW + 8, py + 4);
            }
            vertical(g, rightLabel, WIDTH - 15, TOP + plotH / 2);
        }
        g.setColor(Color.BLACK);
        g.drawLine(LEFT, TOP + plotH, LEFT + plotW, TOP + plotH);
        g.drawLine(LEFT, TOP, LEFT, TOP + plotH);

        for (Marker m : markers) {
            int px = (int) Math.round(frame.px(m.x()));
            g.setColor(m.color());
            g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
            g.drawLine(px, TOP, px, TOP + plotH);
            g.setStroke(new BasicStroke(1));
            g.drawString(m.label(), px + 5, TOP + plotH - 8);
        }

        for (Series s : series) {
            double[] yr = s.axis() == Axis.RIGHT && rightRange != null ? rightRange : left;
            g.setColor(s.color());
            g.setStroke(new BasicStroke(2));
            if (s.line()) {
                Path2D path = new Path2D.Double();
                boolean started = false;
                for (int i = 0; i < s.x().length; i++) {
                    if (!Double.isFinite(s.y()[i])) {
                        started = false;
                        continue;
                    }
                    double px = frame.px(s.x()[i]);
                    double py = frame.py(s.y()[i], yr);
                    if (started) {
                        path.lineTo(px, py);
                    } else {
                        path.moveTo(px, py);
                        started = true;
                    }
                }
                g.draw(path);
            }
            g.setStroke(new BasicStroke(1.2f));
            for (int i = 0; i < s.x().length; i++) {
                if (!Double.isFinite(s.y()[i])) {
                    continue;
                }
                double px = frame.px(s.x()[i]);
                double py = frame.py(s.y()[i], yr);
                if (s.errors() != null && Double.isFinite(s.errors()[i])) {
                    double lo = frame.py(s.y()[i] - s.errors()[i], yr);
                    double hi = frame.py(s.y()[i] + s.errors()[i], yr);
                    g.draw(new Line2D.Double(px, lo, px, hi));
                    g.draw(new Line2D.Double(px - 4, lo, px + 4, lo));
                    g.draw(new Line2D.Double(px - 4, hi, px + 4, hi));
                }
                if (s.markers()) {
                    int r = s.x().length > 2000 ? 1 : s.x().length > 200 ? 2 : 4;
                    g.fillOval((int) Math.round(px) - r, (int) Math.round(py) - r, 2 * r, 2 * r);
                }
            }
        }

        for (Picture p : pictures) {
            int size = 44;
            int cx = (int) Math.round(frame.px(p.x()));
            int cy = (int) Math.round(frame.py(p.y(), left));
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.drawImage(p.image(), cx - size / 2, cy - size / 2, size, size, null);
            g.setColor(p.frame());
            g.setStroke(new BasicStroke(3));
            g.drawRect(cx - size / 2 - 2, cy - size / 2 - 2, size + 3, size + 3);
        }

        // The legend goes below the plot, two entries a row, so that it never hides data.
        g.setStroke(new BasicStroke(2));
        int ly = TOP + plotH + 70;
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            int lx = LEFT + (i % 2) * (plotW / 2);
            int y = ly + (i / 2) * LEGEND_ROW;
            g.setColor(s.color());
            if (s.line()) {
                g.drawLine(lx, y - 4, lx + 20, y - 4);
            }
            if (s.markers()) {
                g.fillOval(lx + 7, y - 7, 6, 6);
            }
            g.setColor(Color.BLACK);
            g.drawString(s.name(), lx + 26, y);
        }
        g.setColor(Color.BLACK);
        int ny = TOP + 18;
        for (String note : notes) {
            g.drawString(note, LEFT + 10, ny);
            ny += 18;
        }
    }

    /** The range of x (all series) or of y on one axis, padded by 5%; a log2 x range is not padded below 0. */
    private double[] range(Axis axis, boolean x) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            if (!x && s.axis() != axis) {
                continue;
            }
            double[] values = x ? s.x() : s.y();
            for (int i = 0; i < values.length; i++) {
                double v = values[i];
                double e = !x && s.errors() != null && Double.isFinite(s.errors()[i]) ? s.errors()[i] : 0;
                if (Double.isFinite(v) && (!x || xScale == Scale.LINEAR || v > 0)) {
                    lo = Math.min(lo, v - e);
                    hi = Math.max(hi, v + e);
                }
            }
        }
        if (x) {
            for (Marker m : markers) {
                lo = Math.min(lo, m.x());
                hi = Math.max(hi, m.x());
            }
        }
        if (!(lo <= hi)) {
            return new double[] {0, 1};
        }
        if (x && xScale == Scale.LOG2) {
            double l = log2(lo);
            double h = log2(hi);
            double pad = Math.max(0.05 * (h - l), 0.25);
            return new double[] {Math.pow(2, l - pad), Math.pow(2, h + pad)};
        }
        double pad = hi > lo ? 0.05 * (hi - lo) : Math.max(Math.abs(hi) * 0.1, 1);
        // More room at the top of y, where the notes sit.
        return new double[] {lo - pad, x || notes.isEmpty() ? hi + pad : hi + (1 + 2 * notes.size()) * pad};
    }

    static List<Double> ticks(double[] range, Scale scale) {
        List<Double> ticks = new ArrayList<>();
        if (scale == Scale.LOG2) {
            for (double t = Math.pow(2, Math.ceil(log2(range[0]))); t <= range[1]; t *= 2) {
                ticks.add(t);
            }
            return ticks;
        }
        double span = range[1] - range[0];
        double raw = span / 6;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = raw / magnitude < 1.5 ? magnitude : raw / magnitude < 3.5 ? 2 * magnitude
                : raw / magnitude < 7.5 ? 5 * magnitude : 10 * magnitude;
        for (double t = Math.ceil(range[0] / step) * step; t <= range[1] + step * 1e-9; t += step) {
            ticks.add(Math.abs(t) < step * 1e-9 ? 0 : t);
        }
        return ticks;
    }

    static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e6) {
            return Long.toString((long) v);
        }
        double a = Math.abs(v);
        if (a >= 0.01 && a < 1e5) {
            String s = String.format(Locale.ROOT, "%.3g", v);
            return s.contains(".") ? s.replaceAll("\\.?0+$", "") : s;
        }
        return String.format(Locale.ROOT, "%.2e", v);
    }

    private static double log2(double v) {
        return Math.log(v) / Math.log(2);
    }

    private static void centred(Graphics2D g, String text, int x, int y) {
        g.drawString(text, x - g.getFontMetrics().stringWidth(text) / 2, y);
    }

    private static void vertical(Graphics2D g, String text, int x, int y) {
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2, x, y);
        g.setColor(Color.BLACK);
        centred(g, text, x, y);
        g.setTransform(saved);
    }

    private record Frame(int left, int top, int width, int height, double[] xRange, Scale xScale) {
        double px(double x) {
            double f = xScale == Scale.LOG2 ? (log2(x) - log2(xRange[0])) / (log2(xRange[1]) - log2(xRange[0]))
                    : (x - xRange[0]) / (xRange[1] - xRange[0]);
            return left + f * width;
        }

        double py(double y, double[] yRange) {
            return top + height - (y - yRange[0]) / (yRange[1] - yRange[0]) * height;
        }
    }
}
