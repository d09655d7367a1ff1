package org.jctdb.event.format;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** ctime(3) layout, e.g. "Sat Dec 17 19:39:11 2016" (day padded with a space), without newline. */
final class Ctime {
    private static final DateTimeFormatter FMT =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ENGLISH);

    private Ctime() {}

    static String format(Instant t, ZoneId zone) {
        return FMT.format(t.atZone(zone));
    }
}
