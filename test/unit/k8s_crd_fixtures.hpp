// OpenELB CRD objects shared by k8s_crds_test.cpp and
// k8s_crd_encode_test.cpp: as `porter sim apiserver` serves them after
// `kubectl apply -f test/e2e/testdata/openelb-objects.yaml`, and with every
// field of openelb.md §2.2 set.
#pragma once

#include <string_view>

namespace porter::k8s::test_support {

// GET .../v1alpha2/eips/eip-pool, .../v1alpha1/eips/eip-pool,
// .../bgpconfs/default and .../bgppeers/tor-1 from `porter sim apiserver`.
inline constexpr std::string_view emulator_eip
  = R"json({"kind":"Eip","apiVersion":"network.kubesphere.io/v1alpha2","metadata":{"annotations":{"eip.openelb.kubesphere.io/is-default-eip":"true","kubectl.kubernetes.io/last-applied-configuration":"{\"apiVersion\":\"network.kubesphere.io/v1alpha2\",\"kind\":\"Eip\",\"metadata\":{\"annotations\":{\"eip.openelb.kubesphere.io/is-default-eip\":\"true\"},\"name\":\"eip-pool\"},\"spec\":{\"address\":\"192.168.0.100-192.168.0.200\",\"protocol\":\"bgp\"}}\n"},"name":"eip-pool","uid":"60f86705-43a5-4046-a2b7-00325ea396dd","creationTimestamp":"2026-11-27T02:35:32Z","generation":1,"resourceVersion":"8"},"spec":{"address":"192.168.0.100-192.168.0.200","protocol":"bgp"}})json";
inline constexpr std::string_view emulator_eip_v1alpha1
  = R"json({"kind":"Eip","apiVersion":"network.kubesphere.io/v1alpha1","metadata":{"annotations":{"eip.openelb.kubesphere.io/is-default-eip":"true"},"name":"eip-pool","uid":"60f86705-43a5-4046-a2b7-00325ea396dd","creationTimestamp":"2026-11-27T02:35:32Z","generation":1,"resourceVersion":"8"},"spec":{"address":"192.168.0.100-192.168.0.200","protocol":"bgp"}})json";
inline constexpr std::string_view emulator_bgp_conf
  = R"json({"kind":"BgpConf","apiVersion":"network.kubesphere.io/v1alpha2","metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{}\n"},"name":"default","uid":"add87bcf-f06d-4784-ba35-2771982b4cdb","creationTimestamp":"2026-11-27T02:35:32Z","generation":1,"resourceVersion":"9"},"spec":{"as":50000,"listenPort":17900,"routerId":"172.22.0.10"}})json";
inline constexpr std::string_view emulator_bgp_peer
  = R"json({"kind":"BgpPeer","apiVersion":"network.kubesphere.io/v1alpha2","metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{}\n"},"name":"tor-1","uid":"ee765143-d9ac-423d-87d0-acceac433de9","creationTimestamp":"2026-11-27T02:35:32Z","generation":1,"resourceVersion":"10"},"spec":{"afiSafis":[{"addPaths":{"config":{"sendMax":10}},"config":{"enabled":true,"family":{"afi":"AFI_IP","safi":"SAFI_UNICAST"}}}],"conf":{"neighborAddress":"172.22.0.2","peerAs":50001}}})json";

// Every Eip v1alpha2 field (api/v1alpha2/eip_types.go), status as the
// OpenELB controller writes it.
inline constexpr std::string_view full_eip = R"json({
 "apiVersion":"network.kubesphere.io/v1alpha2","kind":"Eip",
 "metadata":{"name":"eip-pool","resourceVersion":"77","generation":3,
   "annotations":{"eip.openelb.kubesphere.io/is-default-eip":"true"},
   "labels":{"openelb.kubesphere.io/cni":"calico"},
   "finalizers":["finalizer.ipam.kubesphere.io/v1alpha1"]},
 "spec":{"address":"192.168.0.100-192.168.0.200","protocol":"layer2",
   "interface":"can_reach:192.168.0.1","disable":true,"usingKnownIPs":true,
   "priority":10,"namespaces":["team-a","team-b"],
   "namespaceSelector":{"tier":"gold","env":"prod"},"futureField":1},
 "status":{"occupied":true,"usage":2,"poolSize":101,
   "used":{"192.168.0.101":"default/web;team-a/api","192.168.0.100":"default/db"},
   "firstIP":"192.168.0.100","lastIP":"192.168.0.200","ready":true,"v4":true}})json";

inline constexpr std::string_view full_bgp_conf = R"json({
 "apiVersion":"network.kubesphere.io/v1alpha2","kind":"BgpConf",
 "metadata":{"name":"default","annotations":{"lb.kubesphere.io/v1alpha1":"2026-11-26T22:00:00Z"},
   "finalizers":["finalizer.lb.kubesphere.io/v1alpha1"]},
 "spec":{"as":50000,"asPerRack":{"rack-2":65002,"rack-1":65001},
   "routerId":"172.22.0.10","listenPort":17900,
   "listenAddresses":["0.0.0.0","::"],"families":[0,1],
   "useMultiplePaths":true,
   "gracefulRestart":{"enabled":true,"restartTime":120,"helperOnly":true,
     "deferralTime":360,"notificationEnabled":true,"longlivedEnabled":true,
     "staleRoutesTime":300,"peerRestartTime":90,"peerRestarting":true,
     "localRestarting":true,"mode":"restarting"},
   "policy":"bgp-policy"},
 "status":{"nodesConfStatus":{"node-2":{"routerId":"192.168.0.12","as":65002},
   "node-1":{"routerId":"192.168.0.11","as":65001}}}})json";

inline constexpr std::string_view full_bgp_peer = R"json({
 "apiVersion":"network.kubesphere.io/v1alpha2","kind":"BgpPeer",
 "metadata":{"name":"tor-1","generation":2,
   "finalizers":["finalizer.lb.kubesphere.io/v1alpha1"]},
 "spec":{
  "conf":{"authPassword":"s3cret","description":"leaf 1","localAs":65000,
    "neighborAddress":"172.22.0.2","peerAs":65001,"peerGroup":"leafs",
    "peerType":1,"removePrivateAs":"REMOVE_ALL","routeFlapDamping":true,
    "sendCommunity":3,"neighborInterface":"eth1","vrf":"blue",
    "allowOwnAs":2,"replacePeerAs":true,"adminDown":true},
  "ebgpMultihop":{"enabled":true,"multihopTtl":3},
  "timers":{"config":{"connectRetry":"5","holdTime":"90",
    "keepaliveInterval":"30","minimumAdvertisementInterval":"0"}},
  "transport":{"mtuDiscovery":true,"passiveMode":true,
    "remoteAddress":"172.22.0.1","remotePort":17900,"tcpMss":1400},
  "gracefulRestart":{"enabled":true,"restartTime":120},
  "afiSafis":[
    {"config":{"family":{"afi":"AFI_IP","safi":"SAFI_UNICAST"},"enabled":true},
     "addPaths":{"config":{"receive":true,"sendMax":10}},
     "mpGracefulRestart":{"config":{"enabled":true}}},
    {"addPaths":{"config":{"sendMax":8}}}],
  "nodeSelector":{"matchLabels":{"openelb.kubesphere.io/rack":"rack-1"},
    "matchExpressions":[{"key":"kubernetes.io/os","operator":"In","values":["linux"]},
      {"key":"edge","operator":"Exists"}]}},
 "status":{"nodesPeerStatus":{
  "node-2":{"peerState":{"sessionState":"ACTIVE"},"timersState":{}},
  "node-1":{"peerState":{"authPassword":"s3cret","description":"leaf 1",
    "localAs":65000,
    "messages":{"received":{"notification":"0","update":"12","open":"1",
        "keepalive":"40","refresh":"0","discarded":"0","total":"53",
        "withdrawUpdate":"1","withdrawPrefix":"2"},
      "sent":{"update":"3","open":"1","keepalive":"40","total":"44"}},
    "neighborAddress":"172.22.0.2","peerAs":65001,"peerGroup":"leafs",
    "peerType":1,"queues":{"input":1,"output":2},"removePrivateAs":1,
    "routeFlapDamping":true,"sendCommunity":3,"sessionState":"ESTABLISHED",
    "adminState":"UP","outQ":4,"flops":5,"routerId":"172.22.0.2"},
   "timersState":{"connectRetry":"5","holdTime":"90","keepaliveInterval":"30",
    "minimumAdvertisementInterval":"0","negotiatedHoldTime":"90",
    "uptime":"1764194400","downtime":"1764190800"}}}}})json";

} // namespace porter::k8s::test_support
