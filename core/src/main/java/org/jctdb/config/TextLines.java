package org.jctdb.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/** Reads a configuration file as lines, turning I/O and encoding trouble into a ConfigException. */
final class TextLines {
    /** Configuration files are small; anything larger is a mistake, not a configuration. */
    static final long MAX_BYTES = 4L * 1024 * 1024;

    private TextLines() {}

    static List<String> read(Path file) throws ConfigException {
        try {
            // A FIFO would block and a device (/dev/zero) never ends: only regular files are configuration.
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            if (!a.isRegularFile()) {
                throw ConfigException.forFile(file, "not a regular file (" + kind(a) + ")");
            }
            if (a.size() > MAX_BYTES) {
                throw ConfigException.forFile(file, "file is larger than " + MAX_BYTES + " bytes");
            }
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length > MAX_BYTES) {
                throw ConfigException.forFile(file, "file is larger than " + MAX_BYTES + " bytes");
            }
            String text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
            return split(text);
        } catch (NoSuchFileException e) {
            throw ConfigException.forFile(file, "file does not exist");
        } catch (CharacterCodingException e) {
            throw ConfigException.forFile(file, "file is not valid UTF-8 text");
        } catch (AccessDeniedException e) {
            throw ConfigException.forFile(file, "cannot read file: permission denied");
        } catch (IOException e) {
            throw ConfigException.forFile(file, "cannot read file: " + reason(e));
        }
    }

    private static String kind(BasicFileAttributes a) {
        if (a.isDirectory()) {
            return "a directory";
        }
        if (a.isOther()) {
            return "a FIFO, socket or device";
        }
        return "not a plain file";
    }

    /** The reason of an I/O error, not just the path NIO puts in its message. */
    static String reason(IOException e) {
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    static List<String> split(String text) {
        return List.of(text.split("\r?\n", -1));
    }
}
