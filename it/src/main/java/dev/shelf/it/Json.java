package dev.shelf.it;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a JSON document into plain Java values: {@link Map}, {@link List}, {@link Long}, {@link Double},
 * {@link Boolean}, {@link String} and {@code null}.
 *
 * <p>jackson-core has no tree model (that is jackson-databind), and pulling databind into the tests only to read
 * two small response shapes would be out of proportion.
 */
public final class Json {

    private static final JsonFactory FACTORY = new JsonFactory();

    private Json() {
    }

    /**
     * Parses one JSON document.
     *
     * @param bytes UTF-8 JSON
     * @return the document's value
     * @throws IOException if it is not well-formed JSON, or has trailing content
     */
    public static Object parse(byte[] bytes) throws IOException {
        try (JsonParser p = FACTORY.createParser(bytes)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new IOException("empty JSON document");
            }
            Object value = read(p, first);
            if (p.nextToken() != null) {
                throw new IOException("trailing content after JSON document");
            }
            return value;
        }
    }

    /**
     * Parses a document that must be a JSON object.
     *
     * @param bytes UTF-8 JSON
     * @return the object's fields, in document order
     * @throws IOException if it is not well-formed JSON or not an object
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(byte[] bytes) throws IOException {
        Object value = parse(bytes);
        if (!(value instanceof Map)) {
            throw new IOException("expected a JSON object, got " + value);
        }
        return (Map<String, Object>) value;
    }

    private static Object read(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT: {
                Map<String, Object> map = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    map.put(name, read(p, p.nextToken()));
                }
                return map;
            }
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                JsonToken e;
                while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                    list.add(read(p, e));
                }
                return list;
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new IOException("unexpected JSON token " + t);
        }
    }
}
