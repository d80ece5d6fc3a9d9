package dev.turnpike.controlplane.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.controlplane.problem.FieldError;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class KeyCsvTest {
  static final String KEY_A = "aaaaaaaaaaaaaaaaaaaaaaaa";
  static final String KEY_B = "bbbbbbbbbbbbbbbbbbbbbbbb";

  @Test
  void reads_the_api_gateway_columns_in_any_order_and_case() {
    UUID plan = UUID.randomUUID();
    var parsed =
        KeyCsv.parse(
            "Key,name,Enabled,usageplanIds,description\r\n"
                + KEY_A
                + ",partner one,false,"
                + plan
                + ",legacy\r\n"
                + KEY_B
                + ",,,,\r\n");

    assertThat(parsed.problems()).isEmpty();
    assertThat(parsed.rows()).hasSize(2);
    KeyCsv.Row first = parsed.rows().get(0);
    assertThat(first.plainKey()).isEqualTo(KEY_A);
    assertThat(first.name()).isEqualTo("partner one");
    assertThat(first.enabled()).isFalse();
    assertThat(first.planIds()).containsExactly(plan);
    KeyCsv.Row second = parsed.rows().get(1);
    assertThat(second.enabled()).isTrue();
    assertThat(second.name()).isEqualTo("imported key 2");
  }

  @Test
  void quoted_cells_keep_commas_quotes_and_line_breaks() {
    var parsed = KeyCsv.parse("name,key\n\"Acme, \"\"Inc\"\"\nEU\"," + KEY_A + "\n");

    assertThat(parsed.problems()).isEmpty();
    assertThat(parsed.rows().get(0).name()).isEqualTo("Acme, \"Inc\"\nEU");
  }

  @Test
  void reports_every_bad_cell_with_its_row_and_column() {
    var parsed =
        KeyCsv.parse(
            "name,key,enabled,usageplanIds\n"
                + "short,tooshort,true,\n"
                + "ok,"
                + KEY_A
                + ",maybe,not-a-uuid\n"
                + "good,"
                + KEY_B
                + ",true,\n");

    assertThat(parsed.problems())
        .extracting(FieldError::pointer)
        .containsExactly("/rows/1/key", "/rows/2/enabled", "/rows/2/usageplanIds");
    assertThat(parsed.rows()).extracting(KeyCsv.Row::number).containsExactly(3);
  }

  @Test
  void refuses_a_file_without_a_key_column_or_with_unknown_columns() {
    assertThat(KeyCsv.parse("name,secret\nx,y\n").problems())
        .extracting(FieldError::pointer)
        .containsExactly("/header/1", "/header");
    assertThat(KeyCsv.parse("").problems())
        .extracting(FieldError::pointer)
        .containsExactly("/header");
  }

  @Test
  void never_shows_the_key_when_a_row_is_printed() {
    var row = KeyCsv.parse("key\n" + KEY_A + "\n").rows().get(0);
    assertThat(row.toString()).doesNotContain(KEY_A);
  }
}
