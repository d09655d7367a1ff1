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
 * name shares on different nodes. With {@code ctdbSocket} it runs with clustering = yes on that node.
 */
final class SambaNodes implements AutoCloseable {
    static final String PYTHON = "/usr/bin/python3";
    private final Path dir;
    private final Path share;
    final int port;
    private final List<Process> smbds = new ArrayList<>();
    private final List<String> addedAddresses = new ArrayList<>();

    SambaNodes(Path dir, int port) throws IOException {
        this.dir = dir;
        this.share = dir.resolve("share");
        this.port = port;
        Files.createDirectories(share);
    }

    Path share() {
        return share;
    }

    /** Why these tests cannot run here, if they cannot. */
    static Optional<String> missing() {
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
        Path conf = own.resolve("smb.conf");
        Files.writeString(conf, smbConf(own, share, "jctdbshare", address + "/32", port, ctdbSocket));
        Process smbd = new ProcessBuilder(
                        CtdbTool.find("smbd").orElseThrow().toString(),
                        "-s",
                        conf.toString(),
                        "-F",
                        "--debug-stdout",
                        "-d",
                        "1")
                .redirectErrorStream(true)
                .redirectOutput(own.resolve("smbd.out").toFile())
                .start();
        smbds.add(smbd);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!listening(address, port)) {
            assertThat(smbd.isAlive())
                    .as("smbd %d exited:\n%s", index, Files.readString(own.resolve("smbd.out")))
                    .isTrue();
            assertThat(System.nanoTime())
                    .as("smbd %d did not listen within 60 s", index)
                    .isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /**
     * An smb.conf for one test smbd: its own private, lock, state, cache, pid, ncalrpc and log
     * directories under {@code own} (created here), guest access to {@code share}, bound to
     * {@code interfaces} on {@code port}; clustering = yes on {@code ctdbSocket} when given.
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
                "\tinterfaces = " + interfaces,
                "\tbind interfaces only = yes",
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
    Holder hold(String address, String file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(
                        PYTHON, script().toString(), "hold", address, String.valueOf(port), "share", file)
                .redirectError(dir.resolve("hold.err").toFile())
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line)
                .as("hold %s on %s: %s", file, address, Files.readString(dir.resolve("hold.err")))
                .isEqualTo("OPEN");
        return new Holder(p, out);
    }

    /** Opens {@code file} on {@code address} for writing: OK or SHARING_VIOLATION. */
    String tryWrite(String address, String file) throws IOException, InterruptedException {
        Result r = CtdbTool.run(
                List.of(PYTHON, script().toString(), "try", address, String.valueOf(port), "share", file),
                Map.of(),
                null,
                90);
        assertThat(r.exitCode())
                .as("try %s on %s: %s %s", file, address, r.stdout(), r.stderr())
                .isZero();
        return r.stdout().strip();
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
