package org.jctdb.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jctdb.testing.LocalClusterHarness.Result;

/**
 * Debian's smbd, several on one machine, all exporting one directory: each with its own private, lock,
 * state, cache, pid and ncalrpc directories, bound to its own loopback address (added to lo for the test,
 * so smbd's interface list finds it, and removed again) on one port, so that smbtorture's --unclist can
 * name shares on different nodes; or each in a node's network namespace, listening on all its
 * interfaces (so also on public addresses the node takes later), with the clients in the client's
 * namespace. With {@code ctdbSocket} it runs with clustering = yes on that node.
 */
public final class SambaNodes implements AutoCloseable {
    static final String PYTHON = "/usr/bin/python3";
    private final Path dir;
    private final Path share;
    public final int port;
    /** What client commands run under: nothing, or `ip netns exec` of the client's namespace. */
    private final List<String> clientPrefix;

    private final List<Process> smbds = new ArrayList<>();
    private final List<String> addedAddresses = new ArrayList<>();

    SambaNodes(Path dir, int port) throws IOException {
        this(dir, port, null);
    }

    /** smbds in namespaces on {@code port}; clients (probes, smbtorture) in {@code clientNamespace}. */
    public SambaNodes(Path dir, int port, String clientNamespace) throws IOException {
        this.dir = dir;
        this.share = dir.resolve("share");
        this.port = port;
        this.clientPrefix = clientNamespace == null ? List.of() : List.of("ip", "netns", "exec", clientNamespace);
        Files.createDirectories(share);
    }

    private List<String> client(String... cmd) {
        List<String> all = new ArrayList<>(clientPrefix);
        all.addAll(List.of(cmd));
        return all;
    }

    public Path share() {
        return share;
    }

    /** Why these tests cannot run here, if they cannot. */
    public static Optional<String> missing() {
        Optional<String> programs = CtdbTool.missing("smbd", "ctdb", "ip");
        if (programs.isPresent()) {
            return programs;
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("smbd and addresses on lo need root");
        }
        try {
            Result r = CtdbTool.run(List.of(PYTHON, "-c", "import impacket.smbconnection"), Map.of(), null, 30);
            return r.exitCode() == 0 ? Optional.empty() : Optional.of("python3-impacket is not installed");
        } catch (IOException | InterruptedException e) {
            return Optional.of("no " + PYTHON + ": " + e.getMessage());
        }
    }

    /** Starts smbd number {@code index} on {@code address}; clustered on the node of {@code ctdbSocket} if given. */
    void start(int index, String address, Path ctdbSocket) throws IOException, InterruptedException {
        Path own = dir.resolve("smbd." + index);
        Result add = CtdbTool.run(List.of("ip", "addr", "add", address + "/32", "dev", "lo"), Map.of(), null, 30);
        if (add.exitCode() == 0) {
            addedAddresses.add(address);
        } else {
            assertThat(add.stderr()).as("ip addr add %s", address).contains("File exists");
        }
        launch(index, List.of(), address + "/32", ctdbSocket, () -> listening(address, port));
    }

    /**
     * Starts smbd number {@code index} in network namespace {@code namespace}, listening on all its
     * interfaces; clustered on the node of {@code ctdbSocket} if given.
     */
    public void startInNamespace(int index, String namespace, Path ctdbSocket)
            throws IOException, InterruptedException {
        launch(index, List.of("ip", "netns", "exec", namespace), null, ctdbSocket, () -> {
            try {
                Result r = CtdbTool.run(
                        List.of("ip", "netns", "exec", namespace, "ss", "-Hltn", "sport = :" + port),
                        Map.of(),
                        null,
                        30);
                return !r.stdout().isBlank();
            } catch (IOException e) {
                return false;
            }
        });
    }

    /** Readiness probe of a starting smbd. */
    private interface Listening {
        boolean check() throws InterruptedException;
    }

    private void launch(int index, List<String> prefix, String interfaces, Path ctdbSocket, Listening listening)
            throws IOException, InterruptedException {
        Path own = dir.resolve("smbd." + index);
        Path conf = own.resolve("smb.conf");
        Files.writeString(conf, smbConf(own, share, "jctdbshare", interfaces, port, ctdbSocket));
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(smbdCommand(conf));
        Process smbd = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(own.resolve("smbd.out").toFile())
                .start();
        smbds.add(smbd);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!listening.check()) {
            assertThat(smbd.isAlive())
                    .as("smbd %d exited:\n%s", index, Files.readString(own.resolve("smbd.out")))
                    .isTrue();
            assertThat(System.nanoTime())
                    .as("smbd %d did not listen within 60 s", index)
                    .isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /** smbd in the foreground with configuration {@code conf}, logging to its standard output. */
    static List<String> smbdCommand(Path conf) {
        return List.of(
                CtdbTool.find("smbd").orElseThrow().toString(),
                "-s",
                conf.toString(),
                "-F",
                "--debug-stdout",
                "-d",
                "1");
    }

    /**
     * An smb.conf for one test smbd: its own private, lock, state, cache, pid, ncalrpc and log
     * directories under {@code own} (created here), guest access to {@code share}, bound to
     * {@code interfaces} on {@code port} (null: all interfaces, also addresses added later);
     * clustering = yes on {@code ctdbSocket} when given.
     */
    static String smbConf(Path own, Path share, String netbiosName, String interfaces, int port, Path ctdbSocket)
            throws IOException {
        for (String d : List.of("private", "lock", "state", "cache", "pid", "ncalrpc", "log")) {
            Files.createDirectories(own.resolve(d));
        }
        List<String> lines = new ArrayList<>(List.of(
                "[global]",
                "\tclustering = " + (ctdbSocket == null ? "no" : "yes"),
                "\tnetbios name = " + netbiosName,
                "\tworkgroup = WORKGROUP",
                "\tserver role = standalone server",
                "\tprivate dir = " + own.resolve("private"),
                "\tlock directory = " + own.resolve("lock"),
                "\tstate directory = " + own.resolve("state"),
                "\tcache directory = " + own.resolve("cache"),
                "\tpid directory = " + own.resolve("pid"),
                "\tncalrpc dir = " + own.resolve("ncalrpc"),
                "\tlog file = " + own.resolve("log") + "/log.%m",
                "\tbind interfaces only = " + (interfaces == null ? "no" : "yes"),
                "\tsmb ports = " + port,
                "\tmap to guest = Bad User",
                "\tload printers = no",
                "\tprinting = bsd",
                "\tprintcap name = /dev/null",
                "\tdisable spoolss = yes",
                "[share]",
                "\tpath = " + share,
                "\tguest ok = yes",
                "\tread only = no",
                "\tforce user = root",
                ""));
        if (interfaces != null) {
            lines.add(lines.indexOf("\tbind interfaces only = yes"), "\tinterfaces = " + interfaces);
        }
        if (ctdbSocket != null) {
            lines.add(2, "\tctdbd socket = " + ctdbSocket);
        }
        return String.join("\n", lines);
    }

    Process smbd(int index) {
        return smbds.get(index);
    }

    private static boolean listening(String address, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The SMB2 probe script (a test resource) as a file. */
    Path script() throws IOException {
        Path p = dir.resolve("share_mode.py");
        if (!Files.exists(p)) {
            try (InputStream in = SambaNodes.class.getResourceAsStream("share_mode.py")) {
                Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return p;
    }

    /** A client holding {@code file} open on {@code address} for reading with deny-write, until {@link Holder#close}. */
    Holder hold(String address, String file) throws IOException {
        Running c = startClient("hold", address, file);
        assertThat(c.first()).as("hold %s on %s: %s", file, address, c.errors()).isEqualTo("OPEN");
        return new Holder(c.process(), c.out());
    }

    /** A share_mode.py client that keeps running, with its first line of output. */
    private record Running(Process process, BufferedReader out, String first, Path errorFile, String errors) {}

    private Running startClient(String mode, String address, String file) throws IOException {
        Path errors = dir.resolve(mode + ".err");
        Process p = new ProcessBuilder(
                        client(PYTHON, script().toString(), mode, address, String.valueOf(port), "share", file))
                .redirectError(errors.toFile())
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        return new Running(p, out, first, errors, Files.readString(errors));
    }

    /** Opens {@code file} on {@code address} for writing: OK or SHARING_VIOLATION. */
    String tryWrite(String address, String file) throws IOException, InterruptedException {
        Result r = CtdbTool.run(
                client(PYTHON, script().toString(), "try", address, String.valueOf(port), "share", file),
                Map.of(),
                null,
                90);
        assertThat(r.exitCode())
                .as("try %s on %s: %s %s", file, address, r.stdout(), r.stderr())
                .isZero();
        return r.stdout().strip();
    }

    /**
     * A client that opens {@code file} on {@code address} (read, deny-write) and reads it; {@link
     * Follower#reconnect} makes it connect to the same address again and read the file anew.
     */
    Follower follow(String address, String file) throws IOException {
        Running c = startClient("follow", address, file);
        assertThat(c.first())
                .as("follow %s on %s: %s", file, address, c.errors())
                .startsWith("READ ");
        return new Follower(c.process(), c.out(), c.errorFile(), c.first().substring(5));
    }

    /** The follow client: the hex of what it read first. */
    record Follower(Process process, BufferedReader out, Path errors, String firstRead) implements AutoCloseable {
        /** Reconnects and reads again: the hex of the content and the number of connection attempts. */
        String[] reconnect() throws IOException {
            process.getOutputStream().write('\n');
            process.getOutputStream().flush();
            String line = out.readLine();
            assertThat(line)
                    .as("the follow client after its reconnect: %s", Files.readString(errors))
                    .startsWith("READ ");
            return line.substring(5).split(" ");
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    /**
     * The open/close load of share_mode.py bench from the client side: {@code workers} processes over
     * {@code hosts} for {@code seconds} on {@code file} (a %d in it: the worker's number); its JSON line.
     */
    public String bench(List<String> hosts, String file, int seconds, int workers)
            throws IOException, InterruptedException {
        Result r = CtdbTool.run(
                client(
                        PYTHON,
                        script().toString(),
                        "bench",
                        String.join(",", hosts),
                        String.valueOf(port),
                        "share",
                        file,
                        String.valueOf(seconds),
                        String.valueOf(workers)),
                Map.of(),
                null,
                seconds + 180);
        if (r.exitCode() != 0) {
            throw new IOException("share_mode.py bench failed (" + r.exitCode() + "): " + r.stdout() + r.stderr());
        }
        return r.stdout().strip();
    }

    /** smbtorture (samba-testsuite) {@code test} with --unclist naming {@code uncs}, from the client side. */
    public Result smbtorture(List<String> uncs, String test, int timeoutSeconds)
            throws IOException, InterruptedException {
        Path unclist = dir.resolve("unclist");
        Files.writeString(unclist, String.join("\n", uncs) + "\n");
        return CtdbTool.run(
                client(
                        CtdbTool.find("smbtorture").orElseThrow().toString(),
                        uncs.get(0),
                        test,
                        "-U%",
                        "-p",
                        String.valueOf(port),
                        "--unclist=" + unclist),
                Map.of(),
                null,
                timeoutSeconds);
    }

    /** kill -9 of smbd number {@code index} and every process it started. */
    void kill(int index) throws InterruptedException {
        Process smbd = smbds.get(index);
        List<ProcessHandle> all = new ArrayList<>(smbd.descendants().toList());
        smbd.destroyForcibly();
        all.forEach(ProcessHandle::destroyForcibly);
        smbd.waitFor(10, TimeUnit.SECONDS);
    }

    record Holder(Process process, BufferedReader out) implements AutoCloseable {
        /** Closes the file (ends the client's stdin) and waits for it to say so. */
        @Override
        public void close() throws IOException {
            try {
                process.getOutputStream().close();
                out.readLine();
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                process.destroyForcibly();
            }
        }
    }

    void stop(int index) throws InterruptedException {
        Process smbd = smbds.get(index);
        List<ProcessHandle> all = new ArrayList<>(smbd.descendants().toList());
        smbd.destroy();
        smbd.waitFor(10, TimeUnit.SECONDS);
        all.forEach(ProcessHandle::destroyForcibly);
        smbd.destroyForcibly();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        for (int i = 0; i < smbds.size(); i++) {
            stop(i);
        }
        for (String a : addedAddresses) {
            CtdbTool.run(List.of("ip", "addr", "del", a + "/32", "dev", "lo"), Map.of(), null, 30);
        }
    }
}
