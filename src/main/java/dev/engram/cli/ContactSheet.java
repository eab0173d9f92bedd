package dev.engram.cli;

import dev.engram.EngramException;
import dev.engram.app.Recall;
import dev.engram.recall.Recaller;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code recall --sheet}: a contact sheet of a recall, one row per cue: the cue, the memory's
 * reconstruction of it, and its nearest traces (as the memory reconstructs them, from their
 * latents; for a space without a decoder, such as a pretrained network's, their source images)
 * each with its concepts and distance. Images (and spectrograms of sound) are drawn; a cue or
 * trace without a picture is named in its cell.
 */
final class ContactSheet {
    /** Rows drawn at most: a sheet is to be looked at. */
    static final int MAX_ROWS = 40;
    private static final int TILE = 96;
    private static final int CAPTION = 30;
    private static final int GAP = 8;
    private static final int HEADER = 28;

    private final List<Recall.Recalled> rows = new ArrayList<>();
    private int cues;
    private int neighbours;

    void add(Recall.Recalled recalled) {
        cues++;
        if (rows.size() < MAX_ROWS) {
            rows.add(recalled);
            neighbours = Math.max(neighbours, recalled.recollection().neighbours().size());
        }
    }

    /** Draws the sheet into {@code file} (PNG); returns how many cues it shows of how many. */
    String write(Path file) {
        int columns = 2 + neighbours;
        int width = GAP + columns * (TILE + GAP);
        int rowHeight = TILE + CAPTION + GAP;
        int height = HEADER + GAP + Math.max(1, rows.size()) * rowHeight;
        BufferedImage sheet = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.DARK_GRAY);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
            String[] heads = new String[columns];
            heads[0] = "cue";
            heads[1] = "remembered";
            for (int i = 2; i < columns; i++) {
                heads[i] = "neighbour " + (i - 1);
            }
            for (int c = 0; c < columns; c++) {
                g.drawString(heads[c], GAP + c * (TILE + GAP), HEADER - 8);
            }
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
            for (int r = 0; r < rows.size(); r++) {
                Recall.Recalled row = rows.get(r);
                Recaller.Recollection c = row.recollection();
                int y = HEADER + GAP + r * rowHeight;
                cell(g, 0, y, picture(sourceFile(c.cue())),
                        shorten(c.cue(), 18), c.top() == null ? "no concept" : "top: " + c.top().concept().label());
                cell(g, 1, y, picture(row.reconstruction()), row.reconstruction() == null ? "no decoder" : "",
                        String.format(Locale.ROOT, "surprise %.2g, %.0f%%", c.surprise(), 100 * c.surprisePercentile()));
                for (int n = 0; n < c.neighbours().size(); n++) {
                    Recaller.Hit hit = c.neighbours().get(n);
                    Path reconstructed = row.traces().get(hit.trace().id());
                    BufferedImage image = picture(reconstructed != null ? reconstructed
                            : sourceFile(hit.trace().sourceLabel()));
                    cell(g, 2 + n, y, image, image == null ? shorten(hit.trace().sourceLabel(), 18) : "",
                            (hit.concepts().isEmpty() ? "-" : shorten(String.join(", ", hit.concepts()), 10))
                                    + String.format(Locale.ROOT, " %.2g", hit.distance()));
                }
            }
        } finally {
            g.dispose();
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (!ImageIO.write(sheet, "png", file.toFile())) {
                throw new IOException("no PNG writer");
            }
        } catch (IOException e) {
            throw EngramException.invalidInput("cannot write the contact sheet " + file + ": " + e.getMessage(), e);
        }
        return rows.size() + " of " + cues + " cues";
    }

    /** A tile: the picture scaled to fit (pixels kept sharp), or the text in a grey box; a caption below. */
    private static void cell(Graphics2D g, int column, int y, BufferedImage image, String text, String caption) {
        int x = GAP + column * (TILE + GAP);
        if (image != null) {
            double scale = Math.min((double) TILE / image.getWidth(), (double) TILE / image.getHeight());
            int w = (int) Math.round(image.getWidth() * scale);
            int h = (int) Math.round(image.getHeight() * scale);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.drawImage(image, x + (TILE - w) / 2, y + (TILE - h) / 2, w, h, null);
        } else {
            g.setColor(new Color(0xeeeeee));
            g.fillRect(x, y, TILE, TILE);
            Graphics2D clipped = (Graphics2D) g.create(x, y, TILE, TILE);
            try {
                clipped.setColor(Color.DARK_GRAY);
                clipped.drawString(text, 4, TILE / 2);
            } finally {
                clipped.dispose();
            }
        }
        g.setColor(Color.BLACK);
        // Clipped to the cell: a long caption never runs into the next one.
        Graphics2D clipped = (Graphics2D) g.create(x, y + TILE, TILE + GAP / 2, CAPTION);
        try {
            clipped.drawString(caption, 0, 13);
        } finally {
            clipped.dispose();
        }
    }

    /** The file a cue or trace was read from, if it is one whole file (not an item of an IDX file, #N). */
    private static Path sourceFile(String label) {
        try {
            Path file = Path.of(label.replaceFirst("#\\d+$", ""));
            return Files.isRegularFile(file) && label.equals(file.toString()) ? file : null;
        } catch (java.nio.file.InvalidPathException e) {
            return null;
        }
    }

    private static BufferedImage picture(Path file) {
        if (file == null || !file.toString().toLowerCase(Locale.ROOT).matches(".*\\.(png|jpe?g)$")) {
            return null;
        }
        try {
            return ImageIO.read(file.toFile());
        } catch (IOException e) {
            return null;
        }
    }

    private static String shorten(String text, int max) {
        String name = text.contains("/") ? text.substring(text.lastIndexOf('/') + 1) : text;
        return name.length() <= max ? name : name.substring(0, max - 1) + "…";
    }
}
