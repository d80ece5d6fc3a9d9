package dev.turnpike.controlplane.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.controlplane.testing.TestControlPlane;
import dev.turnpike.testkit.postgres.EmbeddedPostgresExtension;
import dev.turnpike.testkit.postgres.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedPostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiDocumentTest {
  TestControlPlane cp;
  JsonObject document;

  @BeforeAll
  void start(TestDatabase db) {
    cp = TestControlPlane.start(db);
    var answer = cp.client().get(null, "/v1/openapi.json");
    assertThat(answer.status()).isEqualTo(200);
    document = answer.json();
  }

  @AfterAll
  void stop() {
    cp.close();
  }

  List<String> documented() {
    List<String> operations = new ArrayList<>();
    JsonObject paths = document.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        operations.add(method.toUpperCase(Locale.ROOT) + " " + path);
      }
    }
    return operations;
  }

  @Nested
  class Document {
    @Test
    void is_openapi_3_1_served_without_a_token() {
      assertThat(document.getString("openapi")).isEqualTo("3.1.0");
      assertThat(
              document
                  .getJsonObject("components")
                  .getJsonObject("securitySchemes")
                  .containsKey("bearer"))
          .isTrue();
    }

    @Test
    void describes_every_registered_route() {
      List<String> registered = cp.controlPlane().endpoints();
      assertThat(registered).hasSizeGreaterThan(40);
      assertThat(documented()).containsAll(registered);
    }

    @Test
    void describes_no_route_that_does_not_exist() {
      assertThat(cp.controlPlane().endpoints()).containsAll(documented());
    }
  }
}
