package org.skerry.console.users;

import java.util.Map;
import org.skerry.console.web.Call;
import org.skerry.console.web.ConsoleFeature;
import org.skerry.console.web.ConsoleRoutes;
import org.skerry.console.web.ConsoleSessions;
import org.skerry.console.web.PageResult;
import org.skerry.console.web.WebError;
import org.skerry.server.ServerContext;

/**
 * The Users area: find accounts, create them, reset passwords, lock, unlock and delete, see and end live
 * sessions. Pages under /admin/users and JSON under /api/v1/users call the same {@link UserOperations}.
 */
public final class UsersFeature implements ConsoleFeature {
    private final UserOperations users;

    public UsersFeature(ServerContext server, ConsoleSessions consoleSessions) {
        this.users = new UserOperations(server, consoleSessions);
    }

    @Override
    public NavEntry nav() { return new NavEntry("Users", "/users", 10); }

    @Override
    public void register(ConsoleRoutes routes) {
        routes.api("GET", "/users", this::search);
        routes.api("POST", "/users", call -> users.create(call.field("jid", UserOperations.MAX_JID), password(call)));
        routes.api("GET", "/users/{jid}", call -> users.user(call.path("jid")));
        routes.api("DELETE", "/users/{jid}", call -> {
            users.delete(call.admin(), call.path("jid"), "true".equals(call.fields().get("confirm")));
            return Map.of("deleted", call.path("jid"));
        });
        routes.api("POST", "/users/{jid}/password", call -> {
            users.resetPassword(call.path("jid"), password(call));
            return users.user(call.path("jid"));
        });
        routes.api("POST", "/users/{jid}/lock", call -> {
            users.lock(call.admin(), call.path("jid"));
            return users.user(call.path("jid"));
        });
        routes.api("POST", "/users/{jid}/unlock", call -> {
            users.unlock(call.path("jid"));
            return users.user(call.path("jid"));
        });
        routes.api("GET", "/users/{jid}/sessions", call -> users.liveSessions(call.path("jid")));
        routes.api("POST", "/users/{jid}/kick", call -> {
            users.kick(call.path("jid"), call.field("resource", UserOperations.MAX_RESOURCE));
            return users.liveSessions(call.path("jid"));
        });

        routes.page("GET", "/users", call -> PageResult.view("users/list.jte", "Users", Map.of("list", search(call))));
        routes.page("POST", "/users", call -> {
            var created = users.create(call.field("jid", UserOperations.MAX_JID), password(call));
            return PageResult.redirect(UserPaths.user(created.jid()), "Created " + created.jid());
        });
        routes.page("GET", "/users/{jid}", call -> {
            var user = users.user(call.path("jid"));
            return PageResult.view("users/user.jte", user.jid(), Map.of("user", user, "self", user.jid().equals(call.admin())));
        });
        routes.page("POST", "/users/{jid}/password", call -> {
            users.resetPassword(call.path("jid"), password(call));
            return back(call, "Set a new password for " + call.path("jid"));
        });
        routes.page("POST", "/users/{jid}/lock", call -> {
            users.lock(call.admin(), call.path("jid"));
            return back(call, "Locked " + call.path("jid") + "; its sessions were ended");
        });
        routes.page("POST", "/users/{jid}/unlock", call -> {
            users.unlock(call.path("jid"));
            return back(call, "Unlocked " + call.path("jid"));
        });
        routes.page("POST", "/users/{jid}/delete", call -> {
            // The page's confirmation: a script may click, but the admin must type the address.
            String typed = call.optionalField("confirm", UserOperations.MAX_JID);
            users.delete(call.admin(), call.path("jid"), UserOperations.sameAccount(call.path("jid"), typed));
            return PageResult.redirect("/admin/users", "Deleted " + call.path("jid"));
        });
        routes.page("POST", "/users/{jid}/kick", call -> {
            String resource = call.field("resource", UserOperations.MAX_RESOURCE);
            users.kick(call.path("jid"), resource);
            return back(call, "Disconnected " + call.path("jid") + "/" + resource);
        });
    }

    private UserOperations.UserList search(Call call) throws WebError {
        return users.search(call.query().get("domain"), call.query().get("q"), call.query().get("page"));
    }

    private static String password(Call call) throws WebError {
        return call.field("password", UserOperations.MAX_PASSWORD);
    }

    private static PageResult back(Call call, String message) {
        return PageResult.redirect(UserPaths.user(call.path("jid")), message);
    }
}
