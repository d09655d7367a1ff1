package org.jctdb.lab.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Failover times per fault kind, one column per system side by side: a dot per fault, a line
 * from min to max, a box from median to p90 with a bold median, and the count and the number
 * of faults that never failed over underneath.
 */
public final class DistributionChart {
    private static final int LEFT = 80;
    private static final int TOP = 70;
    private static final int PLOT_H = 320;
    private static final int SLOT = 84;
    private static final int GAP = 40;

    private DistributionChart() {}

    /** {@code systems} in the order to draw them; {@code stats} holds every system's per-kind statistics. */
    public static BufferedImage draw(List<String> systems, List<KindStats> stats) {
        List<String> kinds = kinds(stats);
        int groupW = systems.size() * SLOT + GAP;
        int width = Math.max(760, LEFT + Math.max(1, kinds.size()) * groupW + 40);
        int height = TOP + PLOT_H + 90;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = ChartStyle.canvas(image);
        g.setFont(ChartStyle.TITLE);
        g.drawString("Failover time per fault kind", LEFT, 24);
        int x = LEFT;
        for (String s : systems) {
            x = ChartStyle.swatch(g, x, 48, ChartStyle.system(s), ChartStyle.systemName(s));
        }
        g.setFont(ChartStyle.SMALL);
        g.drawString(
                "dot: one fault   line: min to max   box: median to p90   bold bar: median   "
                        + "n: faults that failed over",
                LEFT,
                TOP + PLOT_H + 74);

        long max = stats.stream().mapToLong(KindStats::max).max().orElse(-1);
        double top = Math.max(1, max / 1000.0 * 1.08);
        double step = ChartStyle.niceStep(top, 6);
        top = Math.ceil(top / step) * step;
        yAxis(g, width, top, step);
        if (max < 0) {
            g.setFont(ChartStyle.LABEL);
            g.drawString("no fault moved an address (nothing to show)", LEFT + 20, TOP + PLOT_H / 2);
        }
        for (int k = 0; k < kinds.size(); k++) {
            int gx = LEFT + GAP / 2 + k * groupW;
            g.setFont(ChartStyle.LABEL);
            g.setColor(ChartStyle.TEXT);
            String kind = kinds.get(k);
            int labelW = g.getFontMetrics().stringWidth(kind);
            g.drawString(kind, gx + (systems.size() * SLOT - labelW) / 2, TOP + PLOT_H + 20);
            for (int s = 0; s < systems.size(); s++) {
                Optional<KindStats> st = find(stats, systems.get(s), kind);
                slot(g, gx + s * SLOT, systems.get(s), st, top);
            }
        }
        g.dispose();
        return image;
    }

    private static List<String> kinds(List<KindStats> stats) {
        Set<String> present = new LinkedHashSet<>();
        for (String k : ChartStyle.KINDS) {
            if (stats.stream().anyMatch(s -> s.kind().equals(k))) {
                present.add(k);
            }
        }
        stats.forEach(s -> present.add(s.kind()));
        return new ArrayList<>(present);
    }

    private static Optional<KindStats> find(List<KindStats> stats, String system, String kind) {
        return stats.stream()
                .filter(s -> s.system().equals(system) && s.kind().equals(kind))
                .findFirst();
    }

    private static int y(double seconds, double top) {
        return TOP + PLOT_H - (int) Math.round(seconds / top * PLOT_H);
    }

    private static void yAxis(Graphics2D g, int width, double top, double step) {
        g.setFont(ChartStyle.SMALL);
        for (double s = 0; s <= top + step / 2; s += step) {
            int y = y(s, top);
            g.setColor(ChartStyle.GRID);
            g.drawLine(LEFT, y, width - 30, y);
            g.setColor(ChartStyle.TEXT);
            String label = ChartStyle.seconds(s, step);
            g.drawString(label, LEFT - 8 - g.getFontMetrics().stringWidth(label), y + 4);
        }
        g.drawLine(LEFT, TOP, LEFT, TOP + PLOT_H);
        g.drawLine(LEFT, TOP + PLOT_H, width - 30, TOP + PLOT_H);
        g.setFont(ChartStyle.LABEL);
        Graphics2D r = (Graphics2D) g.create();
        r.rotate(-Math.PI / 2);
        r.drawString("failover time (s)", -(TOP + PLOT_H / 2 + 50), 24);
        r.dispose();
    }

    private static void slot(Graphics2D g, int x, String system, Optional<KindStats> st, double top) {
        Color c = ChartStyle.system(system);
        int mid = x + SLOT / 2;
        g.setFont(ChartStyle.SMALL);
        if (st.isEmpty()) {
            g.setColor(Color.GRAY);
            g.drawString("no faults", mid - 22, TOP + PLOT_H + 36);
            return;
        }
        KindStats k = st.get();
        if (k.count() > 0) {
            g.setColor(c);
            g.setStroke(new BasicStroke(1.5f));
            g.drawLine(mid, y(k.min() / 1000.0, top), mid, y(k.max() / 1000.0, top));
            g.drawLine(mid - 6, y(k.max() / 1000.0, top), mid + 6, y(k.max() / 1000.0, top));
            g.drawLine(mid - 6, y(k.min() / 1000.0, top), mid + 6, y(k.min() / 1000.0, top));
            int yMed = y(k.median() / 1000.0, top);
            int yP90 = y(k.p90() / 1000.0, top);
            g.setColor(ChartStyle.translucent(c, 70));
            g.fillRect(mid - 16, yP90, 32, Math.max(1, yMed - yP90));
            g.setColor(c);
            g.drawRect(mid - 16, yP90, 32, Math.max(1, yMed - yP90));
            g.setStroke(new BasicStroke(3));
            g.drawLine(mid - 18, yMed, mid + 18, yMed);
            g.setStroke(new BasicStroke(1));
            long[] ms = k.millis();
            g.setColor(ChartStyle.translucent(c.darker(), 170));
            for (int i = 0; i < ms.length; i++) {
                int jitter = (i * 7919) % 25 - 12; // spread the dots sideways, the same way every time
                g.fillOval(mid + jitter - 2, y(ms[i] / 1000.0, top) - 2, 5, 5);
            }
        }
        g.setColor(ChartStyle.TEXT);
        String n = "n=" + k.count();
        g.drawString(n, mid - g.getFontMetrics().stringWidth(n) / 2, TOP + PLOT_H + 36);
        if (k.noFailover() > 0) {
            g.setColor(new Color(200, 0, 0));
            String none = k.noFailover() + " no failover";
            g.drawString(none, mid - g.getFontMetrics().stringWidth(none) / 2, TOP + PLOT_H + 50);
        }
    }
}
