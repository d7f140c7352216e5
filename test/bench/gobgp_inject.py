#!/usr/bin/python3
"""gobgp_inject.py: adds N /32 paths (100.64.0.0 upwards, ORIGIN IGP, one next
hop) to gobgpd's global RIB through its gRPC API, AddPathStream in batches --
the API OpenELB drives (it embeds GoBGP and calls AddPath per path; a stream
is the fastest way in through gRPC).

  gobgp_inject.py --stubs DIR --routes N [--api 127.0.0.1:50051]
                  [--next-hop 10.1.0.1] [--batch 1000]

DIR holds the Python stubs generated from gobgpd's .proto files (deps.sh).
All request messages are built and serialized (by the generated classes)
before the clock starts, so the measured window holds the daemon's work, not
Python's protobuf construction; the stream is the generated stub's method
(apipb.GobgpApi/AddPathStream, from the generated descriptor) fed with
those bytes.
Prints one line: inject paths=N batches=B build_seconds=S first_addpath=T
returned=T (epoch seconds; first_addpath is when the stream starts).
"""
import argparse
import ipaddress
import sys
import time


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--stubs', required=True)
    p.add_argument('--routes', type=int, required=True)
    p.add_argument('--api', default='127.0.0.1:50051')
    p.add_argument('--next-hop', default='10.1.0.1')
    p.add_argument('--batch', type=int, default=1000)
    args = p.parse_args()
    sys.path.insert(0, args.stubs)
    import grpc
    import gobgp_pb2 as g
    import attribute_pb2 as a
    from google.protobuf import empty_pb2
    from google.protobuf.any_pb2 import Any

    def any_of(m):
        x = Any()
        x.Pack(m)
        return x

    fam = g.Family(afi=g.Family.AFI_IP, safi=g.Family.SAFI_UNICAST)
    origin = any_of(a.OriginAttribute(origin=0))
    nh = any_of(a.NextHopAttribute(next_hop=args.next_hop))
    base = int(ipaddress.IPv4Address('100.64.0.0'))
    t0 = time.time()
    requests = []
    for s in range(0, args.routes, args.batch):
        paths = [g.Path(family=fam, pattrs=[origin, nh],
                        nlri=any_of(a.IPAddressPrefix(
                            prefix_len=32, prefix=str(ipaddress.IPv4Address(base + i)))))
                 for i in range(s, min(args.routes, s + args.batch))]
        requests.append(g.AddPathStreamRequest(table_type=g.GLOBAL,
                                               paths=paths).SerializeToString())
    channel = grpc.insecure_channel(args.api)
    grpc.channel_ready_future(channel).result(timeout=30)
    # The generated service's method, fed with the serialized requests.
    service = g.DESCRIPTOR.services_by_name['GobgpApi']
    method = service.methods_by_name['AddPathStream']
    add_path_stream = channel.stream_unary(
        '/%s/%s' % (service.full_name, method.name),
        request_serializer=None, response_deserializer=empty_pb2.Empty.FromString)
    t1 = time.time()
    add_path_stream(iter(requests))
    t2 = time.time()
    print('inject paths=%d batches=%d build_seconds=%.3f first_addpath=%.6f returned=%.6f'
          % (args.routes, len(requests), t1 - t0, t1, t2), flush=True)


if __name__ == '__main__':
    main()
