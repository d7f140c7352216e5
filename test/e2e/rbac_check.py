#!/usr/bin/env python3
"""RBAC rules versus the calls made (issue #12: "RBAC rules cover exactly the
calls the manager and agent make").

usage: rbac_check.py MANIFESTS.yaml AUDIT.log USER...

MANIFESTS holds the ClusterRoles, Roles and their bindings (e.g. `kubectl
kustomize config/default`); AUDIT is `porter sim apiserver --audit-log`,
one line per request: `user verb group resource subresource namespace name
code` ("-" for empty). Each USER is a service account's user name,
`system:serviceaccount:NS:NAME`. For each user: every resource request it
made must be allowed by a rule bound to it (missing grants fail), and every
(group, resource, verb[, name]) a bound rule grants must have been used at
least once (unused grants fail). Wildcards fail. Non-resource requests
(discovery) are outside RBAC roles here and only counted. Exit 0 when all
users match exactly, 1 otherwise, 2 on bad input.
"""
import sys

import yaml


def load(path):
    with open(path) as f:
        return [d for d in yaml.safe_load_all(f) if d]


def sa_user(subject, binding_ns):
    if subject.get("kind") != "ServiceAccount":
        return None
    ns = subject.get("namespace") or binding_ns
    return "system:serviceaccount:%s:%s" % (ns, subject["name"])


def grants_by_user(docs):
    """user -> [(rule, namespace or None, role name)]"""
    roles = {}
    for d in docs:
        if d.get("kind") in ("ClusterRole", "Role"):
            ns = d["metadata"].get("namespace") if d["kind"] == "Role" else None
            roles[(d["kind"], ns, d["metadata"]["name"])] = d.get("rules") or []
    out = {}
    for d in docs:
        kind = d.get("kind")
        if kind not in ("ClusterRoleBinding", "RoleBinding"):
            continue
        ns = d["metadata"].get("namespace") if kind == "RoleBinding" else None
        ref = d["roleRef"]
        key = (ref["kind"], ns if ref["kind"] == "Role" else None, ref["name"])
        rules = roles.get(key)
        if rules is None:
            raise ValueError("%s %s binds a missing %s %s" %
                             (kind, d["metadata"]["name"], ref["kind"], ref["name"]))
        for s in d.get("subjects") or []:
            user = sa_user(s, ns)
            if user:
                for r in rules:
                    out.setdefault(user, []).append((r, ns, ref["name"]))
    return out


def wildcards(rule):
    return [f for f in ("apiGroups", "resources", "verbs", "resourceNames")
            if "*" in (rule.get(f) or [])]


def full_resource(resource, sub):
    return resource if sub == "-" else resource + "/" + sub


def allows(rule, ns, call):
    """Whether one bound rule allows one call (rbac/v1 RuleAllows)."""
    verb, group, resource, sub, call_ns, name = call
    if ns is not None and call_ns != ns:
        return False  # a RoleBinding grants only in its namespace
    names = rule.get("resourceNames") or []
    return (verb in rule.get("verbs", [])
            and ("" if group == "-" else group) in rule.get("apiGroups", [])
            and full_resource(resource, sub) in rule.get("resources", [])
            and (not names or name in names))


def grant_tuples(rule):
    """Every (group, resource, verb, name) the rule grants."""
    names = rule.get("resourceNames") or [None]
    return [(g, r, v, n) for g in rule.get("apiGroups", [])
            for r in rule.get("resources", []) for v in rule.get("verbs", [])
            for n in names]


def parse_audit(path):
    calls = {}  # user -> set of (verb, group, resource, sub, ns, name)
    other = {}  # user -> non-resource request count
    with open(path) as f:
        for line in f:
            p = line.split()
            if len(p) < 8:
                continue
            user, verb, group, resource, sub, ns, name = p[:7]
            if resource.startswith("/"):
                other[user] = other.get(user, 0) + 1
                continue
            calls.setdefault(user, set()).add((verb, group, resource, sub, ns, name))
    return calls, other


def check_user(user, grants, calls, nonresource):
    ok = True
    print("== %s: %d distinct calls, %d non-resource requests"
          % (user, len(calls), nonresource))
    for rule, ns, role in grants:
        if wildcards(rule):
            print("FAIL wildcard in %s: %s" % (role, wildcards(rule)))
            ok = False
    missing = sorted(c for c in calls
                     if not any(allows(r, ns, c) for r, ns, _ in grants))
    for verb, group, resource, sub, ns, name in missing:
        print("FAIL missing grant: %s %s %s (namespace %s, name %s)"
              % (verb, "core" if group == "-" else group,
                 full_resource(resource, sub), ns, name))
    unused = []
    for rule, ns, role in grants:
        for g, r, v, n in grant_tuples(rule):
            used = any(c[0] == v and ("" if c[1] == "-" else c[1]) == g
                       and full_resource(c[2], c[3]) == r
                       and (n is None or c[5] == n)
                       and (ns is None or c[4] == ns) for c in calls)
            if not used:
                unused.append((role, g or "core", r, v, n))
    for role, g, r, v, n in sorted(set(unused), key=str):
        print("FAIL unused grant in %s: %s %s %s%s"
              % (role, v, g, r, "" if n is None else " (name %s)" % n))
    seen = sorted({(c[0], c[1], full_resource(c[2], c[3])) for c in calls})
    for verb, group, res in seen:
        print("     used: %-6s %-24s %s" % (verb, "core" if group == "-" else group, res))
    return ok and not missing and not unused


def main(argv):
    if len(argv) < 4:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    try:
        grants = grants_by_user(load(argv[1]))
        calls, other = parse_audit(argv[2])
    except (OSError, ValueError, KeyError, yaml.YAMLError) as e:
        print("rbac_check: %s" % e, file=sys.stderr)
        return 2
    ok = True
    for user in argv[3:]:
        if user not in grants:
            print("FAIL %s: no role is bound to it" % user)
            ok = False
            continue
        if not calls.get(user):
            print("FAIL %s: made no call (is the audit log from this run?)" % user)
            ok = False
            continue
        ok = check_user(user, grants[user], calls[user], other.get(user, 0)) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
