package org.jctdb.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;

/**
 * The answers that need the command tree but no daemon: a command's usage, and a command word
 * that names no command (answered as ctdb does, "Unknown command 'statsu'", plus close matches).
 */
final class CommandWords {
    private CommandWords() {}

    /** Every command word: those the daemon answers and those this process runs. */
    static Set<String> known() {
        return known(new CommandLine(new JctdbCommand(null)));
    }

    /** The same, from a command line of the daemon's tree already built (building one takes milliseconds). */
    static Set<String> known(CommandLine daemonTree) {
        Set<String> words = new TreeSet<>(Main.OFFLINE);
        words.addAll(Main.CLIENT_SIDE);
        words.addAll(daemonTree.getSubcommands().keySet());
        return words;
    }

    /** ctdb's line for an unknown command, then the close matches (if any) on a second line. */
    static String unknownCommand(String word, Collection<String> known) {
        List<String> close = suggestions(word, known);
        String text = "Unknown command '" + word + "'\n";
        if (close.isEmpty()) {
            return text;
        }
        List<String> quoted = close.stream().map(s -> "'" + s + "'").toList();
        return text + "Did you mean " + String.join(" or ", quoted) + "?\n";
    }

    /** Up to three known words within a small edit distance of {@code word}, closest first. */
    static List<String> suggestions(String word, Collection<String> known) {
        int limit = Math.max(1, Math.min(3, word.length() / 3));
        List<String> close = new ArrayList<>();
        for (String k : known) {
            if (distance(word.toLowerCase(), k) <= limit || (word.length() >= 3 && k.startsWith(word))) {
                close.add(k);
            }
        }
        close.sort(Comparator.comparingInt((String k) -> distance(word.toLowerCase(), k))
                .thenComparing(Comparator.naturalOrder()));
        return close.size() > 3 ? close.subList(0, 3) : close;
    }

    /** The usage of a command the daemon answers, from the same model, with no daemon needed. */
    static int help(String command, String[] args) {
        if (!CommandWords.known().contains(command)) {
            System.err.print(CommandWords.unknownCommand(command, CommandWords.known()));
            return 1;
        }
        // The help option last, so that it is the command's (not the root's) whatever the order typed.
        List<String> rest = new ArrayList<>();
        for (String a : args) {
            if (!Main.HELP_OPTIONS.contains(a)) {
                rest.add(a);
            }
        }
        rest.add("--help");
        return new CommandLine(new JctdbCommand(null)).execute(rest.toArray(new String[0]));
    }

    /** Edit distance counting a swap of two neighbouring letters as one edit (a common typo). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        return d[a.length()][b.length()];
    }
}
