package org.jctdb.lab.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;

/** One JSON object read from a file line, with typed field access that names the file and line on error. */
record JsonLine(Path file, int line, JsonNode node) {

    LabFormatException error(String problem) {
        return new LabFormatException(file, line, problem);
    }

    private JsonNode field(JsonNode in, String name, boolean required) throws LabFormatException {
        JsonNode v = in.get(name);
        if ((v == null || v.isNull()) && required) {
            throw error("missing field \"" + name + "\"");
        }
        return v == null || v.isNull() ? null : v;
    }

    long longField(String name) throws LabFormatException {
        return longOf(node, name, true, 0);
    }

    long longOf(JsonNode in, String name, boolean required, long dflt) throws LabFormatException {
        JsonNode v = field(in, name, required);
        if (v == null) {
            return dflt;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw error("field \"" + name + "\" must be an integer, not " + v);
        }
        return v.longValue();
    }

    int intOf(JsonNode in, String name, boolean required, int dflt) throws LabFormatException {
        long v = longOf(in, name, required, dflt);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw error("field \"" + name + "\" is out of range: " + v);
        }
        return (int) v;
    }

    double doubleOf(JsonNode in, String name, double dflt) throws LabFormatException {
        JsonNode v = field(in, name, false);
        if (v == null) {
            return dflt;
        }
        if (!v.isNumber()) {
            throw error("field \"" + name + "\" must be a number, not " + v);
        }
        return v.doubleValue();
    }

    boolean boolOf(JsonNode in, String name, boolean dflt) throws LabFormatException {
        JsonNode v = field(in, name, false);
        if (v == null) {
            return dflt;
        }
        if (!v.isBoolean()) {
            throw error("field \"" + name + "\" must be true or false, not " + v);
        }
        return v.booleanValue();
    }

    String textOf(JsonNode in, String name, boolean required) throws LabFormatException {
        JsonNode v = field(in, name, required);
        if (v == null) {
            return "";
        }
        if (!v.isTextual()) {
            throw error("field \"" + name + "\" must be a string, not " + v);
        }
        return v.textValue();
    }

    /** The field as an array (empty when absent and optional). */
    JsonNode arrayOf(JsonNode in, String name, boolean required) throws LabFormatException {
        JsonNode v = field(in, name, required);
        if (v == null) {
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        }
        if (!v.isArray()) {
            throw error("field \"" + name + "\" must be an array, not " + v);
        }
        return v;
    }

    /** The field as an object (empty when absent and optional). */
    JsonNode objectOf(JsonNode in, String name, boolean required) throws LabFormatException {
        JsonNode v = field(in, name, required);
        if (v == null) {
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
        if (!v.isObject()) {
            throw error("field \"" + name + "\" must be an object, not " + v);
        }
        return v;
    }

    /** A JSON array of node numbers. */
    java.util.List<Integer> pnns(JsonNode array, String what) throws LabFormatException {
        java.util.List<Integer> out = new java.util.ArrayList<>(array.size());
        for (JsonNode e : array) {
            if (!e.isIntegralNumber() || e.longValue() < 0 || e.longValue() > 1_000_000) {
                throw error(what + " must list node numbers, found " + e);
            }
            out.add(e.intValue());
        }
        return out;
    }
}
