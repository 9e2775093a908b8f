package io.vouch.hub.repo;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.vouch.core.json.WireJson;
import io.vouch.hub.cid.Cid;
import io.vouch.hub.cid.InvalidCidException;
import java.io.IOException;

/**
 * The one JSON mapper of the hub (server, client, manifests): CIDs as their text form, unknown
 * fields rejected, map keys sorted so that a manifest has one canonical byte form, numbers no
 * longer than the wire allows ({@link WireJson}).
 */
public final class HubJson {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder(WireJson.factory())
          .addModule(cidModule())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .disable(SerializationFeature.INDENT_OUTPUT)
          .build();

  private HubJson() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** The canonical bytes of a manifest; their CID is the version's manifest CID. */
  public static byte[] canonicalBytes(Manifest manifest) {
    try {
      return MAPPER.writeValueAsBytes(manifest);
    } catch (IOException e) {
      throw new IllegalStateException("a manifest always serializes", e);
    }
  }

  private static SimpleModule cidModule() {
    SimpleModule module = new SimpleModule("vouch-cid");
    module.addSerializer(
        Cid.class,
        new JsonSerializer<>() {
          @Override
          public void serialize(Cid cid, JsonGenerator out, SerializerProvider provider)
              throws IOException {
            out.writeString(cid.toString());
          }
        });
    module.addDeserializer(
        Cid.class,
        new JsonDeserializer<>() {
          @Override
          public Cid deserialize(JsonParser parser, DeserializationContext context)
              throws IOException {
            String text = parser.getValueAsString();
            try {
              return Cid.parse(text);
            } catch (InvalidCidException e) {
              throw InvalidFormatException.from(parser, e.getMessage(), text, Cid.class);
            }
          }
        });
    return module;
  }
}
