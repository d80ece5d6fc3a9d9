package dev.turnpike.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * API Gateway's documented mapping-template examples, each with its output byte for byte.
 *
 * <p>Sources: the developer guide's "API Gateway mapping template and access logging variable
 * reference" ({@code $context}, {@code $input}, {@code $stageVariables}, {@code $util} tables and
 * examples), "Working with models and mapping templates" (the grocery example), the photos example,
 * "Use a mapping template to override an API's request and response parameters and status codes",
 * the gateway-response {@code responseTemplates} extension and the Kinesis proxy export. Where the
 * guide prints an output it is an idealized one (pretty JSON, or JavaScript-like {@code stage:
 * 'prod'}), so the expected text here is the template with the documented values put in, laid out
 * by Velocity 1.x's whitespace rules (the line of a {@code #set}, {@code #foreach}, {@code #if} or
 * {@code #end} leaves its indentation and loses its newline), and every case's JSON matches the
 * guide's. The cases marked "recorded" are outputs recorded from API Gateway itself by LocalStack's
 * AWS-validated snapshot tests ({@code test_input_path_template_formatting}, {@code
 * test_input_body_formatting}), which pin how values print where the guide is silent.
 */
class MappingTemplateConformanceTest {
  /** The outputs are the subject here, not the clock: a slow CI machine must not fail them. */
  private static final TemplateBudget RELAXED =
      TemplateBudget.DEFAULT.withTime(Duration.ofSeconds(20));

  record Case(String name, String template, TemplateInput input, String expected, Integer status) {
    @Override
    public String toString() {
      return name;
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void renders_the_documented_output(Case example) {
    Rendered rendered =
        MappingTemplate.compile(example.template()).render(example.input(), RELAXED);

    assertThat(rendered).isInstanceOf(Rendered.Text.class);
    Rendered.Text text = (Rendered.Text) rendered;
    assertThat(text.text()).isEqualTo(example.expected());
    assertThat(text.statusOverride()).isEqualTo(example.status());
  }

  static Stream<Case> cases() {
    return Stream.of(
            contextExamples(),
            inputExamples(),
            utilExamples(),
            stageVariableExamples(),
            modelExamples(),
            overrideExamples(),
            recordedFormatting())
        .flatMap(List::stream);
  }

  // ---- $context ------------------------------------------------------------------------------

  private static List<Case> contextExamples() {
    Map<String, String> context = new LinkedHashMap<>();
    context.put("stage", "prod");
    context.put("requestId", "abcdefg-000-000-0000-abcdefg");
    context.put("apiId", "abcd1234");
    context.put("resourcePath", "/");
    context.put("resourceId", "efg567");
    context.put("httpMethod", "GET");
    context.put("identity.sourceIp", "192.0.2.1");
    context.put("identity.userAgent", "curl/7.84.0");
    context.put("identity.accountId", "111122223333");
    context.put("identity.apiKey", "MyTestKey");
    context.put("identity.caller", "ABCD-0000-12345");
    context.put("identity.user", "ABCD-0000-12345");
    context.put("identity.userArn", "arn:aws:sts::111122223333:assumed-role/Admin/carlos-salazar");
    return List.of(
        new Case(
            "reference: $context variable template example",
            """
            {
                "stage" : "$context.stage",
                "request_id" : "$context.requestId",
                "api_id" : "$context.apiId",
                "resource_path" : "$context.resourcePath",
                "resource_id" : "$context.resourceId",
                "http_method" : "$context.httpMethod",
                "source_ip" : "$context.identity.sourceIp",
                "user-agent" : "$context.identity.userAgent",
                "account_id" : "$context.identity.accountId",
                "api_key" : "$context.identity.apiKey",
                "caller" : "$context.identity.caller",
                "user" : "$context.identity.user",
                "user_arn" : "$context.identity.userArn"
            }""",
            new TemplateInput("", null, null, null, context, null),
            """
            {
                "stage" : "prod",
                "request_id" : "abcdefg-000-000-0000-abcdefg",
                "api_id" : "abcd1234",
                "resource_path" : "/",
                "resource_id" : "efg567",
                "http_method" : "GET",
                "source_ip" : "192.0.2.1",
                "user-agent" : "curl/7.84.0",
                "account_id" : "111122223333",
                "api_key" : "MyTestKey",
                "caller" : "ABCD-0000-12345",
                "user" : "ABCD-0000-12345",
                "user_arn" : "arn:aws:sts::111122223333:assumed-role/Admin/carlos-salazar"
            }""",
            null),
        new Case(
            "reference: $context.authorizer.claims.property and $context.authorizer.property",
            "$context.authorizer.claims.sub $context.authorizer.principalId"
                + " $context.authorizer.key $context.authorizer.numKey $context.authorizer.boolKey",
            context(
                "authorizer.claims.sub", "c0ffee",
                "authorizer.principalId", "user|a1",
                "authorizer.key", "value",
                "authorizer.numKey", "1",
                "authorizer.boolKey", "true"),
            "c0ffee user|a1 value 1 true",
            null),
        new Case(
            "gateway responses: responseTemplates with $context.error.messageString",
            "{ \"message\": $context.error.messageString, \"type\":$context.error.responseType,"
                + " \"statusCode\": '488' }",
            context(
                "error.message", "Missing Authentication Token",
                "error.responseType", "MISSING_AUTHENTICATION_TOKEN"),
            "{ \"message\": \"Missing Authentication Token\","
                + " \"type\":MISSING_AUTHENTICATION_TOKEN, \"statusCode\": '488' }",
            null),
        new Case(
            "gateway responses: a static message",
            "{ \"message\": 'API-specific errors' }",
            context("error.message", "Forbidden"),
            "{ \"message\": 'API-specific errors' }",
            null));
  }

  // ---- $input --------------------------------------------------------------------------------

  private static List<Case> inputExamples() {
    TemplateInput allParams =
        new TemplateInput(
            "",
            ordered("petId", "7"),
            ordered("type", "dog"),
            ordered("Accept", "application/json"),
            null,
            null);
    TemplateInput named =
        new TemplateInput(
            "{\"mykey\":{\"owner\":\"O'Brien\"},\"price\":249.99}",
            null,
            ordered("name", "Fido"),
            null,
            null,
            null);
    return List.of(
        new Case(
            "reference: parameter mapping template example ($input.params())",
            """
            #set($allParams = $input.params())
            {
              "params" : {
                #foreach($type in $allParams.keySet())
                #set($params = $allParams.get($type))
                "$type" : {
                  #foreach($paramName in $params.keySet())
                  "$paramName" : "$util.escapeJavaScript($params.get($paramName))"
                  #if($foreach.hasNext),#end
                  #end
                }
                #if($foreach.hasNext),#end
                #end
              }
            }
            """,
            allParams,
            // A #set line vanishes whole; #foreach, #if and #end lines keep their indentation
            // and lose their newline, so each turn starts with the indentation of the #end line.
            """
            {
              "params" : {
                    "path" : {
                        "petId" : "7"
                            }
                ,        "querystring" : {
                        "type" : "dog"
                            }
                ,        "header" : {
                        "Accept" : "application\\/json"
                            }
                      }
            }
            """,
            null),
        new Case(
            "reference: example JSON mapping template using $input",
            """
            {
                "name" : "$input.params('name')",
                "body" : $input.json('$')\s
            }""",
            named,
            """
            {
                "name" : "Fido",
                "body" : {"mykey":{"owner":"O'Brien"},"price":249.99}\s
            }""",
            null),
        new Case(
            "reference: example mapping template using $input ($input.json('$.mykey'))",
            """
            {
                "name" : "$input.params('name')",
                "body" : $input.json('$.mykey') \s
            }""",
            named,
            """
            {
                "name" : "Fido",
                "body" : {"owner":"O'Brien"} \s
            }""",
            null),
        new Case(
            "reference: $util.escapeJavaScript($input.json('$.mykey'))",
            """
            {
                "name" : "$input.params('name')",
                "body" : $util.escapeJavaScript($input.json('$.mykey'))\s
            }""",
            named,
            """
            {
                "name" : "Fido",
                "body" : {\\"owner\\":\\"O\\'Brien\\"}\s
            }""",
            null),
        new Case(
            "reference: example request and response using $input (POST /things/abc)",
            """
            {
                "id" : "$input.params('id')",
                "count" : "$input.path('$.things').size()",
                "things" : $util.escapeJavaScript($input.json('$.things'))
            }""",
            new TemplateInput(
                """
                {
                    "things" : {
                        "1" : {},
                        "2" : {},
                        "3" : {}
                    }
                }""",
                ordered("id", "abc"),
                null,
                null,
                null,
                null),
            """
            {
                "id" : "abc",
                "count" : "3",
                "things" : {\\"1\\":{},\\"2\\":{},\\"3\\":{}}
            }""",
            null),
        new Case(
            "reference: $input.path('$.pets') returns an object VTL can count",
            "$input.path('$.pets').size() $input.path('$.pets')[2].type $input.path('$.pets')[0].price",
            body(
                """
                {"pets": [
                  {"id": 1, "type": "dog", "price": 249.99},
                  {"id": 2, "type": "cat", "price": 124.99},
                  {"id": 3, "type": "fish", "price": 0.99}
                ]}"""),
            "3 fish 249.99",
            null),
        new Case(
            "kinesis proxy export: $util.base64Encode($input.json('$.Data')) and $input.path",
            """
            {
                "StreamName": "$input.params('stream-name')",
                "Data": "$util.base64Encode($input.json('$.Data'))",
                "PartitionKey": "$input.path('$.PartitionKey')"
            }""",
            new TemplateInput(
                "{\"Data\":\"hello\",\"PartitionKey\":\"pk-1\"}",
                ordered("stream-name", "orders"),
                null,
                null,
                null,
                null),
            """
            {
                "StreamName": "orders",
                "Data": "ImhlbGxvIg==",
                "PartitionKey": "pk-1"
            }""",
            null));
  }

  // ---- $util ---------------------------------------------------------------------------------

  private static List<Case> utilExamples() {
    return List.of(
        new Case(
            "reference: $util.parseJson of a stringified error message",
            """
            #set ($errorMessageObj = $util.parseJson($input.path('$.errorMessage')))
            {
               "errorMessageObjKey2ArrVal" : $errorMessageObj.key2.arr[0]
            }
            """,
            body(
                "{\"errorMessage\":\"{\\\"key1\\\":\\\"var1\\\",\\\"key2\\\":{\\\"arr\\\":[1,2,3]}}\"}"),
            """
            {
               "errorMessageObjKey2ArrVal" : 1
            }
            """,
            null),
        new Case(
            "reference: $util.escapeJavaScript(data).replaceAll(\"\\\\'\",\"'\") keeps JSON valid",
            "{\"quote\": \"$util.escapeJavaScript($input.path('$.said')).replaceAll(\"\\\\'\",\"'\")\"}",
            body("{\"said\":\"it's \\\"fine\\\"\"}"),
            "{\"quote\": \"it's \\\"fine\\\"\"}",
            null),
        new Case(
            "reference: $util.urlEncode / urlDecode (application/x-www-form-urlencoded)",
            "$util.urlEncode($input.path('$.q'))|$util.urlDecode('a%2Bb+c%26d')",
            body("{\"q\":\"x=a+b c&d\"}"),
            "x%3Da%2Bb+c%26d|a+b c&d",
            null),
        new Case(
            "reference: $util.base64Encode / base64Decode (UTF-8)",
            "$util.base64Encode('Grüße')|$util.base64Decode('R3LDvMOfZQ==')",
            body(""),
            "R3LDvMOfZQ==|Grüße",
            null));
  }

  // ---- $stageVariables -----------------------------------------------------------------------

  private static List<Case> stageVariableExamples() {
    return List.of(
        new Case(
            "reference: the three $stageVariables syntaxes",
            "$stageVariables.version|$stageVariables['version']|${stageVariables['version']}",
            new TemplateInput("", null, null, null, null, Map.of("version", "v2")),
            "v2|v2|v2",
            null));
  }

  // ---- models and mapping templates ----------------------------------------------------------

  private static List<Case> modelExamples() {
    String groceries =
        """
        {
          "department": "produce",
          "categories": [
            "fruit",
            "vegetables"
          ],
          "bins": [
            {
              "category": "fruit",
              "type": "apples",
              "price": 1.99,
              "unit": "pound",
              "quantity": 232
            },
            {
              "category": "fruit",
              "type": "bananas",
              "price": 0.19,
              "unit": "each",
              "quantity": 112
            },
            {
              "category": "vegetables",
              "type": "carrots",
              "price": 1.29,
              "unit": "bag",
              "quantity": 57
            }
          ]
        }""";
    String photos =
        """
        {
          "photos": {
            "page": 1,
            "pages": "1234",
            "perpage": 100,
            "total": "123398",
            "photo": [
              {
                "id": "12345678901",
                "owner": "23456789@A12",
                "secret": "abc123d456",
                "server": "1234",
                "farm": 1,
                "title": "Sample photo 1",
                "ispublic": 1,
                "isfriend": 0,
                "isfamily": 0
              },
              {
                "id": "23456789012",
                "owner": "34567890@B23",
                "secret": "bcd234e567",
                "server": "2345",
                "farm": 2,
                "title": "Sample photo 2",
                "ispublic": 1,
                "isfriend": 0,
                "isfamily": 0
              }
            ]
          }
        }""";
    return List.of(
        new Case(
            "models and mapping templates: the produce department's choices",
            """
            #set($inputRoot = $input.path('$'))
            {
              "choices": [
            #foreach($elem in $inputRoot.bins)
                {
                  "kind": "$elem.type",
                  "suggestedPrice": "$elem.price per $elem.unit",
                  "available": $elem.quantity
                }#if($foreach.hasNext),#end
                       \s
            #end
              ]
            }""",
            body(groceries),
            """
            {
              "choices": [
                {
                  "kind": "apples",
                  "suggestedPrice": "1.99 per pound",
                  "available": 232
                },           \s
                {
                  "kind": "bananas",
                  "suggestedPrice": "0.19 per each",
                  "available": 112
                },           \s
                {
                  "kind": "carrots",
                  "suggestedPrice": "1.29 per bag",
                  "available": 57
                }           \s
              ]
            }""",
            null),
        new Case(
            "photos example: output mapping template",
            "#set($inputRoot = $input.path('$'))\n"
                + "{\n"
                + "  \"photos\": [\n"
                + "#foreach($elem in $inputRoot.photos.photo)\n"
                + "    {\n"
                + "      \"id\": \"$elem.id\",\n"
                + "      \"owner\": \"$elem.owner\",\n"
                + "      \"title\": \"$elem.title\",\n"
                + "      \"ispublic\": $elem.ispublic,\n"
                + "      \"isfriend\": $elem.isfriend,\n"
                + "      \"isfamily\": $elem.isfamily\n"
                + "    }#if($foreach.hasNext),#end\n"
                + "\t\t\n"
                + "#end\n"
                + "  ]\n"
                + "}",
            body(photos),
            "{\n"
                + "  \"photos\": [\n"
                + "    {\n"
                + "      \"id\": \"12345678901\",\n"
                + "      \"owner\": \"23456789@A12\",\n"
                + "      \"title\": \"Sample photo 1\",\n"
                + "      \"ispublic\": 1,\n"
                + "      \"isfriend\": 0,\n"
                + "      \"isfamily\": 0\n"
                + "    },\t\t\n"
                + "    {\n"
                + "      \"id\": \"23456789012\",\n"
                + "      \"owner\": \"34567890@B23\",\n"
                + "      \"title\": \"Sample photo 2\",\n"
                + "      \"ispublic\": 1,\n"
                + "      \"isfriend\": 0,\n"
                + "      \"isfamily\": 0\n"
                + "    }\t\t\n"
                + "  ]\n"
                + "}",
            null),
        new Case(
            "photos example: input mapping template (numbers bare, strings quoted)",
            "#set($inputRoot = $input.path('$'))\n"
                + "{\"page\": $inputRoot.photos.page, \"pages\": \"$inputRoot.photos.pages\","
                + " \"perpage\": $inputRoot.photos.perpage, \"total\": \"$inputRoot.photos.total\","
                + " \"first\": \"$inputRoot.photos.photo[0].secret\"}",
            body(photos),
            "{\"page\": 1, \"pages\": \"1234\", \"perpage\": 100, \"total\": \"123398\","
                + " \"first\": \"abc123d456\"}",
            null));
  }

  // ---- response overrides --------------------------------------------------------------------

  private static List<Case> overrideExamples() {
    String outOfRange =
        """
        {
          "errors": [
            {
              "key": "GetPetRequest.petId",
              "message": "The value is out of range."
            }
          ]
        }""";
    String template =
        """
        #set($inputRoot = $input.path('$'))
        $input.json("$")
        #if($inputRoot.toString().contains("error"))
        #set($context.responseOverride.status = 400)
        #end
        """;
    return List.of(
        new Case(
            "override tutorial: an error in the body makes the status 400",
            template,
            body(outOfRange),
            "{\"errors\":[{\"key\":\"GetPetRequest.petId\",\"message\":\"The value is out of"
                + " range.\"}]}\n",
            400),
        new Case(
            "override tutorial: a body without errors keeps the status",
            template,
            body("{\"id\":1,\"type\":\"dog\",\"price\":249.99}"),
            "{\"id\":1,\"type\":\"dog\",\"price\":249.99}\n",
            null));
  }

  // ---- how values print (recorded from API Gateway) ------------------------------------------

  private static List<Case> recordedFormatting() {
    String path = "#set($result = $input.path(\"$.json\"))$result";
    String nested = "#set($result = $input.path(\"$.json\"))$result.nested";
    String list = "#set($result = $input.path(\"$.json\"))$result[0]";
    String toString = "#set($result = $input.path(\"$.json\"))$result.toString()";
    String probe =
        "{\"body\": $result, \"nested\": $result.nested, \"isNull\": #if( $result == $null"
            + " )\"true\"#else\"false\"#end, \"isEmptyString\": #if( $result == \"\""
            + " )\"true\"#else\"false\"#end}";
    String invalidPath = "#set($result = $input.path(\"$.nonExisting\"))" + probe;
    String nestedList = "#set($result = $input.path(\"$.json.listValue\"))" + probe;
    String rawBody = "#set($result = $input.body)$result";
    String urlEncode =
        "EncodedBody=$util.urlEncode($input.body)&EncodedBodyAccess=$util.urlEncode($input.body.testAccess)";
    return List.of(
        recorded("dict-response", path, "{\"json\":{\"foo\":\"bar\"}}", "{foo=bar}"),
        recorded("json-list", path, "{\"json\":[{\"foo\":\"bar\"}]}", "[{\"foo\":\"bar\"}]"),
        recorded("nested-dict", nested, "{\"json\":{\"nested\":{\"foo\":\"bar\"}}}", "{foo=bar}"),
        recorded(
            "nested-list",
            nested,
            "{\"json\":{\"nested\":[{\"foo\":\"bar\"}]}}",
            "[{\"foo\":\"bar\"}]"),
        recorded("dict-in-list", list, "{\"json\":[{\"foo\":\"bar\"}]}", "{foo=bar}"),
        recorded(
            "list-with-nested-list",
            list,
            "{\"json\":[[{\"foo\":\"bar\"}]]}",
            "[{\"foo\":\"bar\"}]"),
        recorded(
            "dict-with-nested-list",
            path,
            "{\"json\":{\"foo\":[{\"nested\":\"bar\"}]}}",
            "{foo=[{\"nested\":\"bar\"}]}"),
        recorded(
            "bigger-dict",
            path,
            "{\"json\":{\"bigger\":\"dict\",\"to\":\"test\",\"with\":\"separators\"}}",
            "{bigger=dict, to=test, with=separators}"),
        recorded("to-string", toString, "{\"json\":{\"foo\":\"bar\"}}", "{foo=bar}"),
        recorded(
            "list-to-string",
            toString,
            "{\"json\":{\"list\":[{\"foo\":\"bar\"}]}}",
            "{list=[{\"foo\":\"bar\"}]}"),
        recorded(
            "empty-body",
            invalidPath,
            "",
            "{\"body\": , \"nested\": , \"isNull\": \"true\", \"isEmptyString\": \"true\"}"),
        recorded(
            "nested-empty-list",
            nestedList,
            "{\"json\":{\"listValue\":[]}}",
            "{\"body\": [], \"nested\": , \"isNull\": \"false\", \"isEmptyString\": \"false\"}"),
        recorded(
            "nested-null-list",
            nestedList,
            "{\"json\":{\"listValue\":null}}",
            "{\"body\": , \"nested\": , \"isNull\": \"true\", \"isEmptyString\": \"true\"}"),
        recorded("raw-body of an empty body", rawBody, "", "{}"),
        recorded("raw-body of text", rawBody, "some raw data", "some raw data"),
        recorded(
            "str-body-input",
            "Action=SendMessage&MessageBody=$input.body",
            "{\"some\": \"value\"}",
            "Action=SendMessage&MessageBody={\"some\": \"value\"}"),
        recorded(
            "body-attr-access", "#set($result = $input.body.testAccess)$result", "{\"a\":1}", ""),
        recorded(
            "url-encode of an empty body", urlEncode, "", "EncodedBody=%7B%7D&EncodedBodyAccess="),
        recorded(
            "url-encode of a JSON body",
            urlEncode,
            "{\"some\": \"value\"}",
            "EncodedBody=%7B%22some%22%3A+%22value%22%7D&EncodedBodyAccess="),
        recorded(
            "url-encode of text",
            urlEncode,
            "some raw data",
            "EncodedBody=some+raw+data&EncodedBodyAccess="));
  }

  private static Case recorded(String name, String template, String body, String expected) {
    return new Case("recorded: " + name, template, body(body), expected, null);
  }

  private static TemplateInput body(String body) {
    return new TemplateInput(body, null, null, null, null, null);
  }

  private static TemplateInput context(String... pairs) {
    return new TemplateInput("", null, null, null, ordered(pairs), null);
  }

  private static Map<String, String> ordered(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return map;
  }
}
