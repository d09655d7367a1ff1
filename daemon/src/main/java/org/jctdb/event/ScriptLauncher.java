package org.jctdb.event;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jctdb.os.SessionSpawner;

/**
 * Starts scripts as leaders of their own session, so the child's pid is its session and group id:
 * with {@link SessionSpawner} (posix_spawn, one exec) where libc allows, else through util-linux
 * {@code setsid} (a JVM child is never a process group leader, so setsid does not fork). Output
 * (stdout and stderr merged) goes to a file on local disk rather than a pipe, so a leftover
 * background process holding the output open can never block the engine. Either way: cwd
 * {@code /}, stdin from /dev/null, the daemon's environment plus CTDB's variables.
 */
final class ScriptLauncher {
    static final String GENERATION_VAR = "CTDB_GENERATION";
    private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final Pattern IO_ERRNO = Pattern.compile("error=(\\d+)");

    private final EngineConfig cfg;
    private final Optional<SessionSpawner> spawner;
    private Map<String, String> env;
    private long envGeneration;

    ScriptLauncher(EngineConfig cfg) {
        this(cfg, SessionSpawner.get());
    }

    /** With an empty spawner: the JDK's ProcessBuilder through setsid (other platforms, and tests). */
    ScriptLauncher(EngineConfig cfg, Optional<SessionSpawner> spawner) {
        this.cfg = cfg;
        this.spawner = spawner;
    }

    /** Creates the directories scripts and the engine write to. */
    void prepareDirs() throws IOException {
        Files.createDirectories(cfg.scriptVarDir());
        Files.createDirectories(cfg.runDir());
    }

    Path outputFile(String name) {
        return cfg.runDir().resolve(name + ".out");
    }

    Process startScript(Path script, String name, Event event, List<String> args, long generation) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(script.toString());
        cmd.add(event.wireName());
        cmd.addAll(args);
        return start(cmd, outputFile(name), generation);
    }

    /** The debug script gets the pid of the hung script and the event name, as in CTDB. */
    Process startDebug(Path debugScript, int pid, Event event, String outputName) throws IOException {
        return start(
                List.of(debugScript.toString(), Integer.toString(pid), event.wireName()), outputFile(outputName), -1);
    }

    private Process start(List<String> command, Path out, long generation) throws IOException {
        if (spawner.isPresent()) {
            List<String> argv = new ArrayList<>(command);
            argv.set(0, Path.of(command.get(0)).toAbsolutePath().toString());
            return spawner.get().start(argv, environment(generation), out.toAbsolutePath());
        }
        List<String> cmd = new ArrayList<>();
        cmd.add("setsid");
        cmd.add("--wait"); // harmless when setsid does not fork; keeps the exit status if it ever does
        cmd.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.directory(new File("/")); // never a cwd on shared storage
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.to(out.toFile()));
        environment(pb.environment(), generation);
        return pb.start();
    }

    /** The scripts' environment for one generation, built once for all scripts until it changes. */
    private synchronized Map<String, String> environment(long generation) {
        if (env == null || envGeneration != generation) {
            Map<String, String> e = new HashMap<>(System.getenv());
            environment(e, generation);
            env = Map.copyOf(e);
            envGeneration = generation;
        }
        return env;
    }

    void environment(Map<String, String> env, long generation) {
        env.put("CTDB_BASE", cfg.ctdbBase().toString());
        env.put("CTDB", cfg.ctdbCommand().toString());
        env.put("CTDB_SCRIPT_VARDIR", cfg.scriptVarDir().toString());
        env.put("CTDB_VARDIR", cfg.varDir().toString());
        env.put("CTDB_HELPER_BINDIR", cfg.helperBinDir().toString());
        env.putIfAbsent("CTDB_SYS_ETCDIR", "/etc");
        env.putIfAbsent("PATH", DEFAULT_PATH);
        if (generation >= 0) {
            env.put(GENERATION_VAR, Long.toString(generation));
        } else {
            env.remove(GENERATION_VAR);
        }
        env.putAll(cfg.extraEnv());
    }

    /** The errno inside a ProcessBuilder start failure ("error=13, Permission denied"), or EIO. */
    static int errnoOf(IOException e) {
        Matcher m = IO_ERRNO.matcher(String.valueOf(e.getMessage()));
        return m.find() ? Integer.parseInt(m.group(1)) : Errno.EIO;
    }

    /** Reads at most {@code limit} bytes; never blocks (a regular local file). */
    static String readBounded(Path file, int limit) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size == 0) {
                return ""; // most scripts print nothing
            }
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(limit, size));
            while (buf.hasRemaining() && ch.read(buf) > 0) {
                // keep reading until full or EOF
            }
            boolean truncated = size > limit;
            buf.flip();
            String s = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(buf)
                    .toString();
            if (s.endsWith("\n")) {
                s = s.substring(0, s.length() - 1);
            }
            return truncated ? s + " [output truncated at " + limit + " bytes]" : s;
        } catch (IOException e) {
            return "";
        }
    }
}
