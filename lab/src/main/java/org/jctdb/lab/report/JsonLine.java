package org.jctdb.lab.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** One JSON object read from a file line, with typed field access that names the file and line on error. */
record JsonLine(Path file, int line, JsonNode node) {
    /** Highest node number accepted: a lab cluster has a handful, and each node gets a chart row. */
    static final int MAX_PNN = 255;

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

    /** The field if present (checked to be of {@code type}); null when absent and optional. */
    private JsonNode typed(JsonNode in, String name, boolean required, Predicate<JsonNode> ok, String type)
            throws LabFormatException {
        JsonNode v = field(in, name, required);
        if (v != null && !ok.test(v)) {
            throw error("field \"" + name + "\" must be " + type + ", not " + v);
        }
        return v;
    }

    long longField(String name) throws LabFormatException {
        return longOf(node, name, true, 0);
    }

    long longOf(JsonNode in, String name, boolean required, long dflt) throws LabFormatException {
        JsonNode v = typed(in, name, required, n -> n.isIntegralNumber() && n.canConvertToLong(), "an integer");
        return v == null ? dflt : v.longValue();
    }

    int intOf(JsonNode in, String name, boolean required, int dflt) throws LabFormatException {
        long v = longOf(in, name, required, dflt);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw error("field \"" + name + "\" is out of range: " + v);
        }
        return (int) v;
    }

    double doubleOf(JsonNode in, String name, double dflt) throws LabFormatException {
        JsonNode v = typed(in, name, false, JsonNode::isNumber, "a number");
        return v == null ? dflt : v.doubleValue();
    }

    boolean boolOf(JsonNode in, String name, boolean dflt) throws LabFormatException {
        JsonNode v = typed(in, name, false, JsonNode::isBoolean, "true or false");
        return v == null ? dflt : v.booleanValue();
    }

    String textOf(JsonNode in, String name, boolean required) throws LabFormatException {
        JsonNode v = typed(in, name, required, JsonNode::isTextual, "a string");
        return v == null ? "" : v.textValue();
    }

    /** The field as an array (empty when absent and optional). */
    JsonNode arrayOf(JsonNode in, String name, boolean required) throws LabFormatException {
        JsonNode v = typed(in, name, required, JsonNode::isArray, "an array");
        return v == null ? JsonNodeFactory.instance.arrayNode() : v;
    }

    /** The field as an object (empty when absent and optional). */
    JsonNode objectOf(JsonNode in, String name, boolean required) throws LabFormatException {
        JsonNode v = typed(in, name, required, JsonNode::isObject, "an object");
        return v == null ? JsonNodeFactory.instance.objectNode() : v;
    }

    /** A JSON array of node numbers. */
    List<Integer> pnns(JsonNode array, String what) throws LabFormatException {
        List<Integer> out = new ArrayList<>(array.size());
        for (JsonNode e : array) {
            if (!e.isIntegralNumber() || e.longValue() < 0 || e.longValue() > MAX_PNN) {
                throw error(what + " must list node numbers, found " + e);
            }
            out.add(e.intValue());
        }
        return out;
    }
}
