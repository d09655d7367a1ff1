package org.jctdb.event;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The scripts of one component ("legacy"): {@code eventDir} holds what runs (symlinks into the
 * shared {@code dataDir}, or local files); a script is enabled when it is executable.
 * Both directories are local configuration, never shared storage.
 */
public final class ScriptDirectory {
    public static final String SUFFIX = ".script";
    private static final Pattern NAME_PREFIX = Pattern.compile("[0-9][0-9]\\.");

    private final Path eventDir;
    private final Path dataDir;

    /** @param dataDir directory of scripts shipped with JCTDB, or null */
    public ScriptDirectory(Path eventDir, Path dataDir) {
        this.eventDir = eventDir;
        this.dataDir = dataDir;
    }

    public Path eventDir() {
        return eventDir;
    }

    /** Scripts in run order. Throws IOException (e.g. NoSuchFileException) when the dir is unreadable. */
    public List<EventScripts.Script> scripts() throws IOException {
        return list(eventDir);
    }

    /** "NN.rest": two digits, a dot, then at least one character that is not '/', blank or control. */
    public static boolean validName(String name) {
        if (!NAME_PREFIX.matcher(name).lookingAt() || name.length() < 4) {
            return false;
        }
        return name.substring(3)
                .chars()
                .noneMatch(c -> c == '/' || Character.isWhitespace(c) || Character.isISOControl(c));
    }

    static List<EventScripts.Script> list(Path dir) throws IOException {
        List<EventScripts.Script> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String file = p.getFileName().toString();
                if (!file.endsWith(SUFFIX)) {
                    continue;
                }
                String name = file.substring(0, file.length() - SUFFIX.length());
                if (validName(name)) {
                    out.add(new EventScripts.Script(name, p, executable(p)));
                }
            }
        }
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return out;
    }

    private static boolean executable(Path p) {
        try {
            return Files.getPosixFilePermissions(p).contains(PosixFilePermission.OWNER_EXECUTE)
                    && Files.isRegularFile(p);
        } catch (IOException | UnsupportedOperationException e) {
            return false; // dangling symlink or vanished: disabled, as CTDB shows it
        }
    }

    /** Provided scripts flagged enabled when eventDir links to them; then local-only scripts. */
    public EventScripts.Listing listing() throws IOException {
        List<EventScripts.Script> local = new ArrayList<>(list(eventDir));
        List<EventScripts.Script> provided = new ArrayList<>();
        if (dataDir != null && Files.isDirectory(dataDir)) {
            for (EventScripts.Script d : list(dataDir)) {
                boolean linked = false;
                for (int i = 0; i < local.size(); i++) {
                    EventScripts.Script e = local.get(i);
                    if (e.name().equals(d.name()) && linksTo(e.path(), d.path())) {
                        linked = true;
                        local.remove(i);
                        break;
                    }
                }
                provided.add(new EventScripts.Script(d.name(), d.path(), linked));
            }
        }
        return new EventScripts.Listing(provided, local);
    }

    private static boolean linksTo(Path link, Path target) {
        try {
            return Files.isSymbolicLink(link) && Files.readSymbolicLink(link).equals(target);
        } catch (IOException e) {
            return false;
        }
    }

    public EventScripts.CommandResult enable(String component, String name) {
        if (!validName(name)) {
            return new EventScripts.CommandResult(Errno.EINVAL, "Script " + name + " is invalid in " + component);
        }
        Path etc = eventDir.resolve(name + SUFFIX);
        try {
            if (Files.isSymbolicLink(etc)) {
                return new EventScripts.CommandResult(0, "");
            }
            if (Files.isRegularFile(etc, LinkOption.NOFOLLOW_LINKS)) {
                return chmod(etc, true);
            }
            if (Files.exists(etc, LinkOption.NOFOLLOW_LINKS)) {
                return new EventScripts.CommandResult(Errno.EINVAL, "Script " + etc + " is not a file or a link");
            }
            Path data = dataDir == null ? null : dataDir.resolve(name + SUFFIX);
            if (data == null || !Files.exists(data)) {
                return new EventScripts.CommandResult(
                        Errno.ENOENT, "Script " + name + " does not exist in " + component);
            }
            Files.createSymbolicLink(etc, data);
            return new EventScripts.CommandResult(0, "");
        } catch (IOException e) {
            return new EventScripts.CommandResult(Errno.EIO, "Failed to create symlink " + etc);
        }
    }

    public EventScripts.CommandResult disable(String component, String name) {
        if (!validName(name)) {
            return new EventScripts.CommandResult(Errno.EINVAL, "Script " + name + " is invalid in " + component);
        }
        Path etc = eventDir.resolve(name + SUFFIX);
        if (Files.isSymbolicLink(etc)) {
            try {
                Files.delete(etc);
                return new EventScripts.CommandResult(0, "");
            } catch (IOException e) {
                return new EventScripts.CommandResult(Errno.EIO, "Failed to remove symlink " + etc);
            }
        }
        if (Files.isRegularFile(etc, LinkOption.NOFOLLOW_LINKS)) {
            return chmod(etc, false);
        }
        if (Files.exists(etc, LinkOption.NOFOLLOW_LINKS)) {
            return new EventScripts.CommandResult(Errno.EINVAL, "Script " + etc + " is not a file or a link");
        }
        return new EventScripts.CommandResult(0, "");
    }

    private static EventScripts.CommandResult chmod(Path p, boolean enable) {
        Set<PosixFilePermission> x = EnumSet.of(
                PosixFilePermission.OWNER_EXECUTE,
                PosixFilePermission.GROUP_EXECUTE,
                PosixFilePermission.OTHERS_EXECUTE);
        try {
            Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
            perms.addAll(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
            if (enable) {
                perms.addAll(x);
            } else {
                perms.removeAll(x);
            }
            Files.setPosixFilePermissions(p, perms);
            return new EventScripts.CommandResult(0, "");
        } catch (IOException e) {
            return new EventScripts.CommandResult(Errno.EIO, "Failed to change mode of " + p + ": " + e.getMessage());
        }
    }
}
