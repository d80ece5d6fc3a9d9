package dev.turnpike.controlplane.console;

import static dev.turnpike.controlplane.console.ConsoleClient.location;
import static dev.turnpike.testkit.keycloak.TurnpikeRealm.DEMO_DEVELOPER_EMAIL;
import static dev.turnpike.testkit.keycloak.TurnpikeRealm.DEMO_OWNER_EMAIL;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The owner console: members (on the console shared by every {@link ConsoleFeatureTest}). */
class ConsoleMembersTest extends ConsoleFeatureTest {
  @Test
  void an_owner_adds_a_member_by_email_changes_their_role_and_removes_them() {
    String carol = insertUser("carol-" + UUID.randomUUID() + "@example.com", "Carol");
    String members = tenantPath + "members";

    HttpResponse<String> added = owner.post(members, Map.of("email", carol, "role", "admin"));

    assertThat(added.statusCode()).isEqualTo(303);
    assertThat(location(added)).isEqualTo(members);
    HttpResponse<String> list = owner.follow(added);
    assertThat(list.body())
        .contains(
            "If "
                + carol
                + " belongs to a Turnpike account whose email address is verified,"
                + " they are now admin.")
        .containsPattern("<td>" + java.util.regex.Pattern.quote(carol) + "</td>\\s*<td>admin</td>");
    JsonObject member = member(carol);
    assertThat(member.getString("role")).isEqualTo("admin");
    String userId = member.getString("userId");

    HttpResponse<String> changed =
        owner.post(members + "/" + userId + "/role", Map.of("role", "viewer"));
    assertThat(changed.statusCode()).isEqualTo(303);
    assertThat(owner.follow(changed).body()).contains("is now viewer (was admin)");
    assertThat(member(carol).getString("role")).isEqualTo("viewer");

    HttpResponse<String> removed = owner.post(members + "/" + userId + "/remove", Map.of());
    assertThat(removed.statusCode()).isEqualTo(303);
    assertThat(owner.follow(removed).body()).contains("Carol (" + carol + ") was removed.");
    assertThat(member(carol)).isNull();

    String audit = api().get(apiToken, v1("/audit")).body();
    assertThat(audit).contains("member.add").contains("member.update").contains("member.remove");
    assertThat(owner.page(tenantPath + "audit").body())
        .containsPattern(
            "<td>demo-owner@example.com</td>\\s*<td><code>member.remove</code></td>\\s*<td>member "
                + userId.substring(0, 8));
  }

  /**
   * The attack: anyone may register any address at the identity provider (this realm verifies
   * none), so someone who registers the CFO's address before the CFO does must not be the one an
   * owner adds by that address; and the answer must not tell the owner, or anyone probing
   * addresses, that an unverified account holds it.
   */
  @Test
  void an_address_registered_without_verifying_it_adds_nobody_and_answers_as_an_unknown_one() {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String cfo = "cfo-" + suffix + "@victim.example";
    String unknown = "nobody-" + suffix + "@victim.example";
    ConsoleClient squatter = new ConsoleClient(owner.base);
    HttpResponse<String> landed =
        squatter.signUp("squatter-" + suffix, cfo, "squatter-password-" + suffix);
    assertThat(landed.body()).contains("Create your organization");

    // Each answer is read before the next request: the flash message lives in the session.
    HttpResponse<String> squatted =
        owner.post(tenantPath + "members", Map.of("email", cfo, "role", "admin"));
    String squattedPage = owner.follow(squatted).body();
    HttpResponse<String> nobody =
        owner.post(tenantPath + "members", Map.of("email", unknown, "role", "admin"));
    String nobodyPage = owner.follow(nobody).body();

    assertThat(squatted.statusCode()).isEqualTo(nobody.statusCode()).isEqualTo(303);
    assertThat(flash(squattedPage).replace(cfo, "ADDRESS"))
        .isEqualTo(flash(nobodyPage).replace(unknown, "ADDRESS"))
        .contains("verified");
    assertThat(member(cfo)).isNull();
  }

  String flash(String page) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("<p class=\"notice\" role=\"status\">([^<]*)<")
            .matcher(page);
    assertThat(m.find()).as("a flash message in " + page).isTrue();
    return m.group(1);
  }

  @Test
  void the_flash_message_is_shown_once() {
    String dave = insertUser("dave-" + UUID.randomUUID() + "@example.com", "Dave");
    HttpResponse<String> added =
        owner.post(tenantPath + "members", Map.of("email", dave, "role", "viewer"));

    assertThat(owner.follow(added).body()).contains("they are now viewer");
    assertThat(owner.page(tenantPath + "members").body()).doesNotContain("they are now");
    api().delete(apiToken, v1("/members/" + member(dave).getString("userId")));
  }

  @Test
  void an_email_nobody_signed_in_with_adds_nobody_and_says_so_without_saying_why() {
    HttpResponse<String> answer =
        owner.post(
            tenantPath + "members", Map.of("email", "stranger@example.com", "role", "viewer"));

    assertThat(answer.statusCode()).isEqualTo(303);
    assertThat(flash(owner.follow(answer).body()))
        .isEqualTo(
            "If stranger@example.com belongs to a Turnpike account whose email address is"
                + " verified, they are now viewer. Someone without one must sign up and verify"
                + " their address first.");
    assertThat(member("stranger@example.com")).isNull();
  }

  @Test
  void an_email_that_several_users_verified_adds_nobody_rather_than_a_guess() {
    String shared = "shared-" + UUID.randomUUID() + "@example.com";
    insertUser(shared, "One");
    insertUser(shared.toUpperCase(java.util.Locale.ROOT), "Two");

    HttpResponse<String> answer =
        owner.post(tenantPath + "members", Map.of("email", shared, "role", "viewer"));

    assertThat(answer.statusCode()).isEqualTo(303);
    assertThat(member(shared)).isNull();
  }

  @Test
  void someone_who_is_a_member_already_is_not_added_again_and_keeps_their_role() {
    HttpResponse<String> answer =
        owner.post(
            tenantPath + "members",
            Map.of("email", DEMO_OWNER_EMAIL.toUpperCase(java.util.Locale.ROOT), "role", "viewer"));

    assertThat(answer.statusCode()).isEqualTo(409);
    assertThat(answer.body())
        .containsPattern(
            "id=\"member-email\"[^>]*>\\s*<p class=\"error\">is a member already \\(owner\\)");
    assertThat(member(DEMO_OWNER_EMAIL).getString("role")).isEqualTo("owner");
  }

  @Test
  void the_last_owner_can_be_neither_demoted_nor_removed() {
    String me = member(DEMO_OWNER_EMAIL).getString("userId");
    int auditBefore = api().get(apiToken, v1("/audit?limit=500")).items().size();

    HttpResponse<String> demoted =
        owner.post(tenantPath + "members/" + me + "/role", Map.of("role", "admin"));
    HttpResponse<String> removed = owner.post(tenantPath + "members/" + me + "/remove", Map.of());

    for (HttpResponse<String> answer : java.util.List.of(demoted, removed)) {
      assertThat(answer.statusCode()).isEqualTo(409);
      assertThat(answer.body())
          .contains("A tenant must keep at least one owner")
          .contains("<h1>Members</h1>");
    }
    assertThat(member(DEMO_OWNER_EMAIL).getString("role")).isEqualTo("owner");
    assertThat(api().get(apiToken, v1("/audit?limit=500")).items()).hasSize(auditBefore);
  }

  @Test
  void a_viewer_sees_the_members_without_forms_and_a_post_of_theirs_is_refused() {
    withViewer(
        (viewer, viewerId) -> {
          HttpResponse<String> page = viewer.page(tenantPath + "members");

          assertThat(page.statusCode()).isEqualTo(200);
          assertThat(page.body())
              .contains(DEMO_OWNER_EMAIL)
              .contains(DEMO_DEVELOPER_EMAIL)
              .contains("Your role here is viewer")
              .doesNotContain("action=\"" + tenantPath + "members")
              .doesNotContain("Add a member");
          String ownerId = member(DEMO_OWNER_EMAIL).getString("userId");

          HttpResponse<String> demote =
              viewer.post(tenantPath + "members/" + ownerId + "/role", Map.of("role", "viewer"));
          HttpResponse<String> promote =
              viewer.post(tenantPath + "members/" + viewerId + "/role", Map.of("role", "owner"));
          HttpResponse<String> add =
              viewer.post(
                  tenantPath + "members", Map.of("email", DEMO_OWNER_EMAIL, "role", "viewer"));

          for (HttpResponse<String> answer : java.util.List.of(demote, promote, add)) {
            assertThat(answer.statusCode()).isEqualTo(403);
            assertThat(answer.body()).contains("Not allowed").contains("needs owner");
          }
          assertThat(member(DEMO_OWNER_EMAIL).getString("role")).isEqualTo("owner");
          assertThat(member(DEMO_DEVELOPER_EMAIL).getString("role")).isEqualTo("viewer");
        });
  }

  @Test
  void member_names_are_printed_as_text_never_as_markup() {
    String mallory =
        insertUser("mallory-" + UUID.randomUUID() + "@example.com", "<script>alert(3)</script>");

    HttpResponse<String> added =
        owner.post(tenantPath + "members", Map.of("email", mallory, "role", "viewer"));
    HttpResponse<String> page = owner.follow(added);

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body())
        .contains("<td><span>&lt;script&gt;alert(3)&lt;/script&gt;</span>")
        .doesNotContain("<script>");
    api().delete(apiToken, v1("/members/" + member(mallory).getString("userId")));
  }
}
