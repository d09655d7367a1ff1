package org.jctdb.lab.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.TexturePaint;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/** Colours, fonts and the small drawing helpers both charts share. */
final class ChartStyle {
    static {
        System.setProperty("java.awt.headless", "true"); // no display: charts are drawn off screen
    }

    static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 16);
    static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    static final Color GRID = new Color(225, 225, 225);
    static final Color TEXT = new Color(30, 30, 30);

    static final Map<String, Color> STATE_COLOURS = Map.of(
            "OK",
            new Color(76, 175, 80),
            "OTHER",
            new Color(200, 200, 120),
            "DISABLED",
            new Color(144, 164, 174),
            "INACTIVE",
            new Color(189, 189, 189),
            "STOPPED",
            new Color(63, 81, 181),
            "UNHEALTHY",
            new Color(255, 152, 0),
            "BANNED",
            new Color(156, 39, 176),
            "DISCONNECTED",
            new Color(97, 97, 97),
            "UNKNOWN",
            new Color(229, 57, 53));
    /** Fault kinds in the order the legend lists them. */
    static final List<String> KINDS = List.of(
            "crash", "pause", "linkcut", "partition", "freeze", "freezeall", "hungmonitor", "lockdelete", "split");

    private static final Color[] KIND_COLOURS = {
        new Color(214, 39, 40),
        new Color(255, 127, 14),
        new Color(148, 103, 189),
        new Color(140, 86, 75),
        new Color(31, 119, 180),
        new Color(23, 190, 207),
        new Color(188, 189, 34),
        new Color(227, 119, 194),
        new Color(66, 66, 66)
    };
    private static final Color[] NODE_COLOURS = {
        new Color(31, 119, 180),
        new Color(255, 187, 120),
        new Color(44, 160, 44),
        new Color(148, 103, 189),
        new Color(140, 86, 75),
        new Color(23, 190, 207),
        new Color(188, 189, 34),
        new Color(127, 127, 127)
    };
    static final Color OVERLAP = new Color(220, 0, 0);
    static final Color UNREACHABLE = Color.BLACK;
    static final Color LOCK_HELD = new Color(0, 128, 128);
    static final Color LOCK_FREE = new Color(215, 215, 215);

    private ChartStyle() {}

    static Color kind(String kind) {
        int i = KINDS.indexOf(kind);
        return i < 0 ? Color.GRAY : KIND_COLOURS[i];
    }

    static Color node(int pnn) {
        return NODE_COLOURS[pnn % NODE_COLOURS.length];
    }

    static Color system(String system) {
        return switch (system) {
            case "jctdb" -> new Color(31, 119, 180);
            case "ctdb" -> new Color(255, 127, 14);
            default -> Color.GRAY;
        };
    }

    /** How the report names a system. */
    static String systemName(String system) {
        return switch (system) {
            case "jctdb" -> "JCTDB";
            case "ctdb" -> "CTDB";
            default -> system;
        };
    }

    static Color translucent(Color c, int alpha) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha);
    }

    /** Red with black diagonal stripes: an address on two nodes at once. */
    static TexturePaint overlapHatch() {
        BufferedImage tile = new BufferedImage(6, 6, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 6; x++) {
            for (int y = 0; y < 6; y++) {
                tile.setRGB(x, y, (x + y) % 6 < 2 ? 0 : OVERLAP.getRGB());
            }
        }
        return new TexturePaint(tile, new Rectangle(0, 0, 6, 6));
    }

    static Graphics2D canvas(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setColor(TEXT);
        return g;
    }

    /** A step of 1, 2 or 5 times a power of ten giving about {@code target} ticks over {@code range}. */
    static double niceStep(double range, int target) {
        if (range <= 0) {
            return 1;
        }
        double raw = range / Math.max(1, target);
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= raw) {
                return m * p;
            }
        }
        return 10 * p;
    }

    /** Seconds as tick labels print them: no decimals unless the step needs them. */
    static String seconds(double s, double step) {
        if (step >= 1) {
            return String.format(Locale.ROOT, "%d", Math.round(s));
        }
        int decimals = (int) Math.ceil(-Math.log10(step) - 1e-9);
        return String.format(Locale.ROOT, "%." + decimals + "f", s);
    }

    /** A coloured square and its label; returns the x after it. */
    static int swatch(Graphics2D g, int x, int y, Paint paint, String label) {
        g.setPaint(paint);
        g.fillRect(x, y - 10, 12, 12);
        g.setColor(Color.DARK_GRAY);
        g.setStroke(new BasicStroke(1));
        g.drawRect(x, y - 10, 12, 12);
        g.setColor(TEXT);
        g.setFont(SMALL);
        g.drawString(label, x + 16, y);
        return x + 16 + g.getFontMetrics().stringWidth(label) + 14;
    }

    static void write(BufferedImage image, Path file) throws IOException {
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer in this Java runtime");
        }
    }
}
