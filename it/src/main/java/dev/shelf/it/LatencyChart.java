package dev.shelf.it;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Draws latency by percentile, without and with the agent, one panel per comparison, into a PNG — in plain Java2D
 * on an off-screen image (headless), so no tool or display is needed.
 *
 * <p>The x axis is the usual HdrHistogram one: the percentile on a log scale of {@code 1 / (1 - p)}, so that 90%,
 * 99%, 99.9% and 99.99% are evenly spaced and the tail is visible. The y axis is the latency in milliseconds, also
 * on a log scale, since medians of a few milliseconds and tails of hundreds share the panel.
 */
public final class LatencyChart {

    private static final int PANEL_W = 620;
    private static final int PANEL_H = 360;
    private static final Color WITHOUT = new Color(0xD9, 0x5F, 0x02);
    private static final Color WITH = new Color(0x1F, 0x77, 0xB4);

    private LatencyChart() {
    }

    /**
     * Writes the chart.
     *
     * @param comparisons one panel each, in order
     * @param file        the PNG to write
     * @return {@code null} on success, else why the chart could not be drawn (e.g. no fonts on this machine)
     */
    public static String write(List<Comparison> comparisons, Path file) {
        if (comparisons.isEmpty()) {
            return "nothing to draw";
        }
        System.setProperty("java.awt.headless", "true");
        try {
            int cols = comparisons.size() == 1 ? 1 : 2;
            int rows = (comparisons.size() + cols - 1) / cols;
            BufferedImage img = new BufferedImage(cols * PANEL_W, rows * PANEL_H, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            for (int i = 0; i < comparisons.size(); i++) {
                Graphics2D p = (Graphics2D) g.create((i % cols) * PANEL_W, (i / cols) * PANEL_H, PANEL_W, PANEL_H);
                panel(p, comparisons.get(i));
                p.dispose();
            }
            g.dispose();
            ImageIO.write(img, "png", file.toFile());
            return null;
        } catch (IOException | RuntimeException | Error e) { // AWTError, font configuration errors
            return e.toString();
        }
    }

    private static void panel(Graphics2D g, Comparison c) {
        int left = 64;
        int right = PANEL_W - 30;
        int top = 44;
        int bottom = PANEL_H - 52;
        Histogram a = c.without().latency();
        Histogram b = c.with().latency();
        long count = Math.max(a.getTotalCount(), b.getTotalCount());
        double xMax = Math.max(1, Math.min(5, Math.ceil(Math.log10(Math.max(10, count)))));
        double minMs = Math.max(0.01, Math.min(a.getMinNonZeroValue(), b.getMinNonZeroValue()) / 1e6);
        double maxMs = Math.max(a.getMaxValue(), b.getMaxValue()) / 1e6;
        double yLo = Math.floor(Math.log10(minMs));
        double yHi = Math.max(yLo + 1, Math.ceil(Math.log10(Math.max(maxMs, minMs * 1.01))));

        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(c.title(), left, 20);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawString(String.format(Locale.ROOT, "latency by percentile, %d %s per mode, %d clients",
                c.without().requests(), c.app().units(), c.workload().concurrency()), left, 36);

        // grid and axes
        FontMetrics fm = g.getFontMetrics();
        g.setStroke(new BasicStroke(1f));
        for (int d = 0; d <= xMax; d++) {
            int x = (int) Math.round(left + (right - left) * d / xMax);
            g.setColor(new Color(0xE6, 0xE6, 0xE6));
            g.drawLine(x, top, x, bottom);
            g.setColor(Color.DARK_GRAY);
            String label = d == 0 ? "0%" : percentileLabel(d);
            g.drawString(label, x - fm.stringWidth(label) / 2, bottom + 16);
        }
        for (double e = yLo; e <= yHi + 1e-9; e++) {
            int y = (int) Math.round(bottom - (bottom - top) * (e - yLo) / (yHi - yLo));
            g.setColor(new Color(0xE6, 0xE6, 0xE6));
            g.drawLine(left, y, right, y);
            g.setColor(Color.DARK_GRAY);
            String label = trimNumber(Math.pow(10, e));
            g.drawString(label, left - 6 - fm.stringWidth(label), y + 4);
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, top, right - left, bottom - top);
        g.drawString("percentile", (left + right) / 2 - fm.stringWidth("percentile") / 2, bottom + 32);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.drawString("latency (ms)", -(top + bottom) / 2 - fm.stringWidth("latency (ms)") / 2, 16);
        rotated.dispose();

        curve(g, a, WITHOUT, xMax, yLo, yHi, left, right, top, bottom);
        curve(g, b, WITH, xMax, yLo, yHi, left, right, top, bottom);

        // legend
        int lx = left + 10;
        int ly = top + 14;
        legend(g, lx, ly, WITHOUT, String.format(Locale.ROOT, "without agent  p50 %.2f  p99 %.2f  p99.9 %.2f ms",
                c.without().latencyMillis(50), c.without().latencyMillis(99), c.without().latencyMillis(99.9)));
        legend(g, lx, ly + 16, WITH, String.format(Locale.ROOT, "with agent     p50 %.2f  p99 %.2f  p99.9 %.2f ms",
                c.with().latencyMillis(50), c.with().latencyMillis(99), c.with().latencyMillis(99.9)));
    }

    private static void legend(Graphics2D g, int x, int y, Color color, String text) {
        g.setColor(Color.WHITE);
        g.fillRect(x - 4, y - 11, g.getFontMetrics().stringWidth(text) + 34, 15);
        g.setColor(color);
        g.setStroke(new BasicStroke(2.5f));
        g.drawLine(x, y - 4, x + 20, y - 4);
        g.setColor(Color.BLACK);
        g.drawString(text, x + 26, y);
    }

    private static void curve(Graphics2D g, Histogram h, Color color, double xMax, double yLo, double yHi,
                              int left, int right, int top, int bottom) {
        if (h.getTotalCount() == 0) {
            return;
        }
        Path2D.Double path = new Path2D.Double();
        boolean first = true;
        for (HistogramIterationValue v : h.percentiles(5)) {
            double p = v.getPercentileLevelIteratedTo();
            double x = p >= 100 ? xMax : Math.min(xMax, Math.log10(100.0 / (100.0 - p)));
            double ms = Math.max(Math.pow(10, yLo), h.highestEquivalentValue(v.getValueIteratedTo()) / 1e6);
            double px = left + (right - left) * x / xMax;
            double py = bottom - (bottom - top) * (Math.log10(ms) - yLo) / (yHi - yLo);
            if (first) {
                path.moveTo(px, py);
                first = false;
            } else {
                path.lineTo(px, py);
            }
            if (p >= 100) {
                break;
            }
        }
        g.setColor(color);
        g.setStroke(new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(path);
    }

    private static String percentileLabel(int nines) {
        return nines == 1 ? "90%" : nines == 2 ? "99%" : "99." + "9".repeat(nines - 2) + "%";
    }

    private static String trimNumber(double v) {
        if (v >= 1) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return String.format(Locale.ROOT, "%s", Double.toString(v).replaceAll("0+$", ""));
    }
}
