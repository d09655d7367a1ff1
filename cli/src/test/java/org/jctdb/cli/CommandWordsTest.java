package org.jctdb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandWordsTest {
    @Test
    void aSwapOfNeighbouringLettersIsOneEdit() {
        assertThat(CommandWords.distance("statsu", "status")).isEqualTo(1);
        assertThat(CommandWords.distance("status", "status")).isZero();
        assertThat(CommandWords.distance("", "ip")).isEqualTo(2);
        assertThat(CommandWords.distance("lisnodes", "listnodes")).isEqualTo(1);
    }

    @Test
    void anUnknownCommandGetsCtdbsLineAndTheClosestMatches() {
        assertThat(CommandWords.unknownCommand("statsu", CommandWords.known()))
                .isEqualTo("Unknown command 'statsu'\nDid you mean 'status'?\n");
        assertThat(CommandWords.unknownCommand("xyzzy", CommandWords.known())).isEqualTo("Unknown command 'xyzzy'\n");
        assertThat(CommandWords.suggestions("getvr", List.of("getvar", "setvar", "listvars")))
                .containsExactly("getvar");
    }

    @Test
    void knownWordsAreTheDaemonsAndTheOfflineCommands() {
        assertThat(CommandWords.known()).contains("status", "listnodes", "local-cluster", "config", "help");
    }

    @Test
    void aHelpOptionCountsOnlyBeforeTheEndOfOptions() {
        assertThat(Main.helpRequested(new String[] {"status", "--help"})).isTrue();
        assertThat(Main.helpRequested(new String[] {"-h"})).isTrue();
        assertThat(Main.helpRequested(new String[] {"-?", "ip"})).isTrue();
        assertThat(Main.helpRequested(new String[] {"pstore", "--", "-h"})).isFalse();
        assertThat(Main.helpRequested(new String[] {"status"})).isFalse();
    }

    @Test
    void theCommandWordIsFoundWhateverStandsAroundAHelpOption() {
        assertThat(Main.commandWord(new String[] {"-h", "status"})).isEqualTo("status");
        assertThat(Main.commandWord(new String[] {"--help"})).isNull();
    }
}
