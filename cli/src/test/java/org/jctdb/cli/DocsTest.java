package org.jctdb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DocsTest {
    @Test
    void theManPageHasEveryCommandOfTheTreeAndItsOptions() {
        CommandLine tree = Docs.tree();
        String man = Docs.manPage(tree, "1.2.3");
        assertThat(man).startsWith(".TH JCTDB 1 \"\" \"jctdb 1.2.3\" \"JCTDB\"\n");
        for (var e : tree.getSubcommands().entrySet()) {
            String name = e.getValue().getCommandName();
            assertThat(man).as(e.getKey()).contains(".SS \"" + Docs.roff(name));
            if (!name.equals(e.getKey())) {
                assertThat(man).as("alias %s", e.getKey()).containsPattern("Also: .*" + e.getKey());
            }
        }
        assertThat(man.split("\n\\.SS \"status\"", -1)).as("status once").hasSize(2);
        assertThat(man)
                .contains(".SS \"config validate\"", "\\fB\\-n\\fR \\fIPNN|all\\fR", "(no daemon)")
                .doesNotContain("\n.SS \"jctdb");
        // Every line is text or a request this page uses; no text line starts a request by accident.
        assertThat(man.lines().filter(l -> l.startsWith(".") || l.startsWith("'")))
                .allMatch(l -> l.matches("\\.(TH|SH|SS|TP|B) ?.*"));
    }

    @Test
    void roffTextCannotStartARequestAndKeepsBackslashes() {
        assertThat(Docs.roff(".hidden")).isEqualTo("\\&.hidden");
        assertThat(Docs.roff("a\\b-c")).isEqualTo("a\\eb\\-c");
    }

    @Test
    void theCompletionKnowsTheCommandsAndAddsNodeNumbers() {
        String bash = Docs.completion(Docs.tree());
        assertThat(bash).contains("status", "listnodes", "config", "_complete_jctdb", "complete -F _jctdb_with_nodes");
    }
}
