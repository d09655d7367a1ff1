package org.jctdb.lab.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimelineChartTest {
    @TempDir
    Path tmp;

    @Test
    void thirtyMinuteRunRendersQuicklyWithOneRowPerNodeAndAddress() throws Exception {
        Path dir = SyntheticRun.write(
                tmp.resolve("long"),
                new SyntheticRun.Spec(
                        "ctdb",
                        7,
                        30 * 60_000,
                        5,
                        6,
                        List.of(
                                "crash",
                                "pause",
                                "linkcut",
                                "partition",
                                "freeze",
                                "freezeall",
                                "hungmonitor",
                                "lockdelete")));
        RunData run = RunReader.read(dir);
        assertThat(run.samples()).hasSize(18_001);
        long t0 = System.nanoTime();
        BufferedImage image = TimelineChart.draw(run);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ms).as("drawing took %d ms", ms).isLessThan(5_000);
        assertThat(image.getWidth()).isEqualTo(TimelineChart.WIDTH);
        assertThat(image.getHeight()).isBetween(300, 700);
        ChartStyle.write(image, Path.of("target/timeline-preview.png"));
    }
}
