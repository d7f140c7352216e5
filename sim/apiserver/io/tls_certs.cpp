#include "sim/apiserver/io/tls_certs.hpp"

#include <memory>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace porter::sim {

namespace {

template <class T, void (*Free)(T*)>
struct deleter {
  void operator()(T* p) const { Free(p); }
};
using pkey_ptr = std::unique_ptr<EVP_PKEY, deleter<EVP_PKEY, EVP_PKEY_free>>;
using x509_ptr = std::unique_ptr<X509, deleter<X509, X509_free>>;
using bio_ptr = std::unique_ptr<BIO, deleter<BIO, BIO_free_all>>;

using result = tl::expected<void, std::string>;

pkey_ptr make_key() {
  return pkey_ptr{EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256")};
}

bool add_ext(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (ext == nullptr)
    return false;
  bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

bool set_basics(X509* cert, const std::string& cn, long days) {
  unsigned char serial[16];
  if (RAND_bytes(serial, sizeof serial) != 1)
    return false;
  serial[0] &= 0x7f; // positive
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  bool ok
    = bn != nullptr && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert));
  BN_free(bn);
  X509_NAME* name = X509_get_subject_name(cert);
  ok = ok && X509_set_version(cert, 2) == 1
       && X509_gmtime_adj(X509_getm_notBefore(cert), -3600) != nullptr
       && X509_gmtime_adj(X509_getm_notAfter(cert), days * 86400) != nullptr
       && X509_NAME_add_entry_by_txt(
            name, "CN", MBSTRING_ASC,
            reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0)
            == 1;
  return ok;
}

tl::expected<std::string, std::string> pem_of(X509* cert, EVP_PKEY* key) {
  bio_ptr bio{BIO_new(BIO_s_mem())};
  bool ok = bio != nullptr
            && (cert != nullptr
                  ? PEM_write_bio_X509(bio.get(), cert) == 1
                  : PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr,
                                             0, nullptr, nullptr)
                      == 1);
  if (!ok)
    return tl::make_unexpected("cannot encode PEM");
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

result make_ca(x509_ptr& ca, pkey_ptr& key) {
  key = make_key();
  ca.reset(X509_new());
  if (!key || !ca || !set_basics(ca.get(), "porter-sim-ca", 3650)
      || X509_set_issuer_name(ca.get(), X509_get_subject_name(ca.get())) != 1
      || X509_set_pubkey(ca.get(), key.get()) != 1
      || !add_ext(ca.get(), ca.get(), NID_basic_constraints, "critical,CA:TRUE")
      || !add_ext(ca.get(), ca.get(), NID_key_usage,
                  "critical,keyCertSign,cRLSign,digitalSignature")
      || !add_ext(ca.get(), ca.get(), NID_subject_key_identifier, "hash")
      || !add_ext(ca.get(), ca.get(), NID_authority_key_identifier,
                  "keyid:always")
      || X509_sign(ca.get(), key.get(), EVP_sha256()) == 0)
    return tl::make_unexpected("cannot create the CA certificate");
  return {};
}

std::string san_list(const std::vector<std::string>& ips,
                     const std::vector<std::string>& dns) {
  std::string san = "IP:127.0.0.1,DNS:localhost,DNS:kubernetes,"
                    "DNS:kubernetes.default,DNS:kubernetes.default.svc";
  for (const auto& ip : ips)
    if (ip != "127.0.0.1")
      san += ",IP:" + ip;
  for (const auto& d : dns)
    san += ",DNS:" + d;
  return san;
}

result make_leaf(X509* ca, EVP_PKEY* ca_key, const std::string& san,
                 x509_ptr& cert, pkey_ptr& key) {
  key = make_key();
  cert.reset(X509_new());
  if (!key || !cert || !set_basics(cert.get(), "porter-sim-apiserver", 825)
      || X509_set_issuer_name(cert.get(), X509_get_subject_name(ca)) != 1
      || X509_set_pubkey(cert.get(), key.get()) != 1
      || !add_ext(cert.get(), ca, NID_basic_constraints, "critical,CA:FALSE")
      || !add_ext(cert.get(), ca, NID_key_usage,
                  "critical,digitalSignature,keyEncipherment")
      || !add_ext(cert.get(), ca, NID_ext_key_usage, "serverAuth")
      || !add_ext(cert.get(), ca, NID_subject_key_identifier, "hash")
      || !add_ext(cert.get(), ca, NID_authority_key_identifier, "keyid:always")
      || !add_ext(cert.get(), ca, NID_subject_alt_name, san)
      || X509_sign(cert.get(), ca_key, EVP_sha256()) == 0)
    return tl::make_unexpected("cannot create the serving certificate");
  return {};
}

} // namespace

tl::expected<tls_material, std::string>
make_tls_material(const std::vector<std::string>& extra_ips,
                  const std::vector<std::string>& extra_dns) {
  x509_ptr ca;
  pkey_ptr ca_key;
  if (auto r = make_ca(ca, ca_key); !r)
    return tl::make_unexpected(r.error());
  x509_ptr cert;
  pkey_ptr key;
  if (auto r = make_leaf(ca.get(), ca_key.get(), san_list(extra_ips, extra_dns),
                         cert, key);
      !r)
    return tl::make_unexpected(r.error());
  tls_material out;
  auto ca_pem = pem_of(ca.get(), nullptr);
  auto cert_pem = pem_of(cert.get(), nullptr);
  auto key_pem = pem_of(nullptr, key.get());
  if (!ca_pem || !cert_pem || !key_pem)
    return tl::make_unexpected("cannot encode the certificates");
  out.ca_cert_pem = std::move(*ca_pem);
  out.cert_pem = std::move(*cert_pem);
  out.key_pem = std::move(*key_pem);
  return out;
}

} // namespace porter::sim
