package org.jctdb.lab.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.TexturePaint;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.jctdb.lab.report.RunData.Fault;

/**
 * The time line of one run: fault bars, one row per node (its state, and a strip while a fault
 * hits it), one row per public address (the node hosting it, overlap hatched, client errors
 * underneath), a time axis in seconds and a legend.
 */
public final class TimelineChart {
    static final int WIDTH = 1600;
    private static final int LEFT = 130;
    private static final int RIGHT = 20;
    private static final int LANE = 17;
    private static final int ROW = 20;

    private TimelineChart() {}

    public static BufferedImage draw(RunData run) {
        List<String> ips = run.addresses();
        int nodes = run.nodeCount();
        int plotW = WIDTH - LEFT - RIGHT;
        long span = Math.max(1, run.endT());
        for (Fault f : run.faults()) {
            span = Math.max(span, f.endT());
        }
        List<List<Fault>> lanes = lanes(run.faults());
        int faultsTop = 50;
        int nodesTop = faultsTop + Math.max(1, lanes.size()) * LANE + 14;
        int lockTop = nodesTop + nodes * ROW + 4;
        int addrsTop = lockTop + ROW + 10;
        int axisY = addrsTop + ips.size() * ROW + 4;
        int height = axisY + 40 + 4 * 22 + 10;

        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = ChartStyle.canvas(image);
        g.setFont(ChartStyle.TITLE);
        g.drawString(title(run), LEFT, 24);
        double step = grid(g, plotW, span, faultsTop - 6, axisY);
        TimelineColumns cols = TimelineColumns.of(run, ips, plotW, span);

        g.setFont(ChartStyle.LABEL);
        g.setColor(ChartStyle.TEXT);
        if (lanes.isEmpty()) {
            g.drawString("faults: none", 10, faultsTop + 12);
        }
        for (int lane = 0; lane < lanes.size(); lane++) {
            g.setFont(ChartStyle.LABEL);
            g.setColor(ChartStyle.TEXT);
            g.drawString(lanes.get(lane).get(0).kind(), 10, faultsTop + lane * LANE + 11);
            for (Fault f : lanes.get(lane)) {
                faultBar(g, f, faultsTop + lane * LANE, plotW, span);
            }
            int labelEnd = 0; // labels after all bars, so no bar covers one
            for (Fault f : lanes.get(lane)) {
                labelEnd = faultLabel(g, f, faultsTop + lane * LANE, plotW, span, labelEnd);
            }
        }
        for (int n = 0; n < nodes; n++) {
            int y = nodesTop + n * ROW;
            g.setFont(ChartStyle.LABEL);
            g.setColor(ChartStyle.TEXT);
            g.drawString("node " + n, 10, y + 13);
            for (int x = 0; x < plotW; x++) {
                int s = cols.state[n][x];
                if (s != TimelineColumns.NO_DATA) {
                    g.setColor(ChartStyle.STATE_COLOURS.get(TimelineColumns.STATES.get(s)));
                    g.fillRect(LEFT + x, y, 1, ROW - 7);
                }
            }
            for (Fault f : run.faults()) {
                if (f.nodes().contains(n)) {
                    g.setColor(ChartStyle.kind(f.kind()));
                    g.fillRect(LEFT + xOf(f.startT(), plotW, span), y + ROW - 6, width(f, plotW, span), 4);
                }
            }
        }
        TexturePaint hatch = ChartStyle.overlapHatch();
        lockRow(g, cols, lockTop, plotW, hatch);
        for (int a = 0; a < ips.size(); a++) {
            int y = addrsTop + a * ROW;
            g.setFont(ChartStyle.LABEL);
            g.setColor(ChartStyle.TEXT);
            g.drawString(ips.get(a), 10, y + 13);
            g.setColor(ChartStyle.GRID);
            g.drawRect(LEFT, y, plotW - 1, ROW - 7);
            for (int x = 0; x < plotW; x++) {
                int h = cols.host[a][x];
                if (h >= 0 || h == TimelineColumns.OVERLAP) {
                    g.setPaint(h >= 0 ? ChartStyle.node(h) : hatch);
                    g.fillRect(LEFT + x, y, 1, ROW - 7);
                }
                if (cols.unreachable[a][x]) {
                    g.setColor(ChartStyle.UNREACHABLE);
                    g.fillRect(LEFT + x, y + ROW - 6, 1, 4);
                }
            }
        }
        axis(g, plotW, span, step, axisY);
        legend(g, cols, lanes, nodes, axisY + 48, hatch);
        g.dispose();
        return image;
    }

    /** Who holds the cluster lock: one process (as it should be), none, or two or more (hatched). */
    private static void lockRow(Graphics2D g, TimelineColumns cols, int y, int plotW, TexturePaint hatch) {
        g.setFont(ChartStyle.LABEL);
        g.setColor(ChartStyle.TEXT);
        g.drawString("lock holders", 10, y + 13);
        for (int x = 0; x < plotW; x++) {
            int n = cols.lockHolders[x];
            if (n != TimelineColumns.NO_DATA) {
                g.setPaint(n == 0 ? ChartStyle.LOCK_FREE : n == 1 ? ChartStyle.LOCK_HELD : hatch);
                g.fillRect(LEFT + x, y, 1, ROW - 7);
            }
        }
    }

    private static String title(RunData run) {
        RunData.RunInfo i = run.info();
        return String.format(
                Locale.ROOT,
                "%s  %s  (seed %d, %d nodes, %.1f min%s)",
                ChartStyle.systemName(run.system()),
                run.name(),
                i.seed(),
                run.nodeCount(),
                run.endT() / 60000.0,
                i.interrupted() ? ", interrupted" : "");
    }

    /** One lane per fault kind present, in the legend's order: a kind's faults rarely overlap. */
    static List<List<Fault>> lanes(List<Fault> faults) {
        Set<String> kinds = new LinkedHashSet<>();
        ChartStyle.KINDS.stream()
                .filter(k -> faults.stream().anyMatch(f -> f.kind().equals(k)))
                .forEach(kinds::add);
        faults.forEach(f -> kinds.add(f.kind()));
        List<List<Fault>> lanes = new ArrayList<>();
        for (String k : kinds) {
            lanes.add(faults.stream().filter(f -> f.kind().equals(k)).toList());
        }
        return lanes;
    }

    private static void faultBar(Graphics2D g, Fault f, int y, int plotW, long span) {
        int x = LEFT + xOf(f.startT(), plotW, span);
        int w = width(f, plotW, span);
        Color c = ChartStyle.kind(f.kind());
        g.setColor(ChartStyle.translucent(c, 90));
        g.fillRect(x, y, w, LANE - 3);
        g.setColor(c);
        g.fillRect(x, y, Math.min(w, 3), LANE - 3);
    }

    /**
     * The lane names the kind; a bar wide enough also names it and the nodes it hits, unless the
     * label would run into the previous one. Returns where the labels drawn so far end.
     */
    private static int faultLabel(Graphics2D g, Fault f, int y, int plotW, long span, int labelEnd) {
        int x = LEFT + xOf(f.startT(), plotW, span);
        int w = width(f, plotW, span);
        g.setFont(ChartStyle.SMALL);
        g.setColor(ChartStyle.TEXT);
        String label = f.kind() + (f.nodes().isEmpty() ? "" : " " + nodes(f.nodes()));
        if (g.getFontMetrics().stringWidth(label) + 6 > w) {
            label = f.nodes().isEmpty() ? "" : nodes(f.nodes());
        }
        int labelW = g.getFontMetrics().stringWidth(label);
        if (label.isEmpty() || labelW + 6 > w || x < labelEnd) {
            return labelEnd;
        }
        g.setColor(new Color(255, 255, 255, 170)); // keeps a later bar's edge from cutting through the text
        g.fillRect(x + 3, y + 1, labelW + 2, LANE - 5);
        g.setColor(ChartStyle.TEXT);
        g.drawString(label, x + 4, y + LANE - 6);
        return x + 4 + labelW + 4;
    }

    private static String nodes(List<Integer> pnns) {
        Set<Integer> s = new LinkedHashSet<>(pnns);
        return s.toString().replace(" ", "");
    }

    static int xOf(long t, int plotW, long span) {
        return (int) Math.max(0, Math.min(plotW - 1, t * plotW / span));
    }

    /** Pixel width of a fault bar, at least 2 so instant faults (lockdelete) show. */
    private static int width(Fault f, int plotW, long span) {
        return Math.max(2, xOf(f.endT(), plotW, span) - xOf(f.startT(), plotW, span));
    }

    private static double grid(Graphics2D g, int plotW, long span, int top, int bottom) {
        double step = ChartStyle.niceStep(span / 1000.0, 12);
        g.setColor(ChartStyle.GRID);
        g.setStroke(new BasicStroke(1));
        for (double s = 0; s * 1000 <= span; s += step) {
            int x = LEFT + xOf(Math.round(s * 1000), plotW, span);
            g.drawLine(x, top, x, bottom);
        }
        return step;
    }

    private static void axis(Graphics2D g, int plotW, long span, double step, int y) {
        g.setColor(ChartStyle.TEXT);
        g.drawLine(LEFT, y, LEFT + plotW, y);
        g.setFont(ChartStyle.SMALL);
        for (double s = 0; s * 1000 <= span; s += step) {
            int x = LEFT + xOf(Math.round(s * 1000), plotW, span);
            g.drawLine(x, y, x, y + 4);
            String label = ChartStyle.seconds(s, step);
            g.drawString(label, x - g.getFontMetrics().stringWidth(label) / 2, y + 16);
        }
        g.setFont(ChartStyle.LABEL);
        g.drawString("time since the run started (s)", LEFT + plotW / 2 - 80, y + 32);
    }

    private static void legend(
            Graphics2D g, TimelineColumns cols, List<List<Fault>> lanes, int nodes, int y, TexturePaint hatch) {
        g.setFont(ChartStyle.LABEL);
        g.setColor(ChartStyle.TEXT);
        g.drawString("node state", 10, y);
        int x = LEFT;
        Set<Integer> seen = new TreeSet<>(List.of(0));
        for (int[] row : cols.state) {
            for (int s : row) {
                seen.add(s);
            }
        }
        seen.remove(TimelineColumns.NO_DATA);
        for (int i : seen) { // only the states this run shows
            String s = TimelineColumns.STATES.get(i);
            x = ChartStyle.swatch(g, x, y, ChartStyle.STATE_COLOURS.get(s), s.equals("OTHER") ? "other" : s);
        }
        y += 22;
        g.setFont(ChartStyle.LABEL);
        g.drawString("faults", 10, y);
        x = LEFT;
        for (List<Fault> lane : lanes) {
            x = ChartStyle.swatch(
                    g, x, y, ChartStyle.kind(lane.get(0).kind()), lane.get(0).kind());
        }
        if (lanes.isEmpty()) {
            x = ChartStyle.swatch(g, x, y, Color.WHITE, "none");
        }
        g.drawString("(bar under a node row: the fault hits that node)", x, y);
        y += 22;
        g.setFont(ChartStyle.LABEL);
        g.drawString("address on", 10, y);
        x = LEFT;
        for (int n = 0; n < nodes; n++) {
            x = ChartStyle.swatch(g, x, y, ChartStyle.node(n), "node " + n);
        }
        x = ChartStyle.swatch(g, x, y, hatch, "two or more nodes");
        x = ChartStyle.swatch(g, x, y, Color.WHITE, "no node");
        ChartStyle.swatch(g, x, y, ChartStyle.UNREACHABLE, "client could not connect (mark under the row)");
        y += 22;
        g.setFont(ChartStyle.LABEL);
        g.setColor(ChartStyle.TEXT);
        g.drawString("cluster lock", 10, y);
        x = ChartStyle.swatch(g, LEFT, y, ChartStyle.LOCK_HELD, "held by one process");
        x = ChartStyle.swatch(g, x, y, ChartStyle.LOCK_FREE, "by none");
        ChartStyle.swatch(g, x, y, hatch, "by two or more");
    }
}
