package org.socsecgateway.wsbreceiver;

import static io.restassured.RestAssured.given;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.restassured.path.json.JsonPath;

/** Reads the feed like a line-of-business app: page after page from a cursor. */
final class Feed {

    private Feed() {
    }

    static JsonPath page(String token, String query) {
        return given().auth().oauth2(token)
                .when().get("/v1/events" + (query.isEmpty() ? "" : "?" + query))
                .then().statusCode(200).extract().jsonPath();
    }

    /** Every event after {@code after} up to the current end, with the given extra query (types=..., authorities=...). */
    static List<Map<String, Object>> all(String token, String after, String extraQuery) {
        List<Map<String, Object>> events = new ArrayList<>();
        String cursor = after;
        while (true) {
            JsonPath page = page(token, "after=" + cursor + "&limit=500" + (extraQuery.isEmpty() ? "" : "&" + extraQuery));
            List<Map<String, Object>> got = page.getList("events");
            events.addAll(got);
            cursor = page.getString("next");
            if (got.size() < 500) {
                return events;
            }
        }
    }

    /** The current end of the feed, to read only what a test adds. */
    static String head(String token) {
        String cursor = "0";
        while (true) {
            JsonPath page = page(token, "after=" + cursor + "&limit=1000");
            String next = page.getString("next");
            if (page.getList("events").size() < 1000) {
                return next;
            }
            cursor = next;
        }
    }
}
