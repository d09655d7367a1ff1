package org.jctdb.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** Reads a configuration file as lines, turning I/O and encoding trouble into a ConfigException. */
final class TextLines {
    /** Configuration files are small; anything larger is a mistake, not a configuration. */
    static final long MAX_BYTES = 4L * 1024 * 1024;

    private TextLines() {
    }

    static List<String> read(Path file) throws ConfigException {
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw ConfigException.forFile(file, "file is larger than " + MAX_BYTES + " bytes");
            }
            byte[] bytes = Files.readAllBytes(file);
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString();
            return split(text);
        } catch (NoSuchFileException e) {
            throw ConfigException.forFile(file, "file does not exist");
        } catch (CharacterCodingException e) {
            throw ConfigException.forFile(file, "file is not valid UTF-8 text");
        } catch (IOException e) {
            throw ConfigException.forFile(file, "cannot read file: " + e.getMessage());
        }
    }

    static List<String> split(String text) {
        return List.of(text.split("\r?\n", -1));
    }
}
