#include "k8s/io/tls_context.hpp"

#include <vector>

#include <boost/asio/ip/address.hpp>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace porter::k8s::io {

namespace ssl = boost::asio::ssl;

namespace {

using bio_ptr = std::unique_ptr<BIO, decltype(&BIO_free)>;
using x509_ptr = std::unique_ptr<X509, decltype(&X509_free)>;
using pkey_ptr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using failure = tl::unexpected<std::string>;

bio_ptr memory_bio(const std::string& pem) {
  return {BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free};
}

// The reason of the last OpenSSL error ("no start line"), clearing them.
std::string openssl_reason() {
  auto err = ERR_peek_last_error();
  ERR_clear_error();
  const char* reason = err != 0 ? ERR_reason_error_string(err) : nullptr;
  return reason != nullptr ? reason : "unknown OpenSSL error";
}

// Never prompt on a terminal for the passphrase of an encrypted key.
int no_passphrase(char*, int, int, void*) {
  return 0;
}

// Every certificate in `pem`: at least one, none of them broken.
tl::expected<std::vector<x509_ptr>, std::string>
read_certificates(const std::string& pem, const char* what) {
  std::vector<x509_ptr> out;
  auto bio = memory_bio(pem);
  ERR_clear_error();
  for (;;) {
    x509_ptr cert{PEM_read_bio_X509(bio.get(), nullptr, no_passphrase, nullptr),
                  &X509_free};
    if (cert) {
      out.push_back(std::move(cert));
      continue;
    }
    auto err = ERR_peek_last_error();
    if (!out.empty() && ERR_GET_LIB(err) == ERR_LIB_PEM
        && ERR_GET_REASON(err) == PEM_R_NO_START_LINE) {
      ERR_clear_error(); // the end of the bundle
      return out;
    }
    return failure(std::string(what) + " is not a PEM certificate ("
                   + openssl_reason() + ")");
  }
}

tl::expected<void, std::string> add_authorities(SSL_CTX* ctx,
                                                const std::string& pem) {
  auto certs = read_certificates(pem, "certificate-authority");
  if (!certs)
    return failure(certs.error());
  X509_STORE* store = SSL_CTX_get_cert_store(ctx);
  for (auto& c : *certs)
    if (X509_STORE_add_cert(store, c.get()) != 1)
      return failure("certificate-authority: cannot add a certificate ("
                     + openssl_reason() + ")");
  return {};
}

tl::expected<void, std::string> add_identity(SSL_CTX* ctx,
                                             const client_config& cfg) {
  if (cfg.client_cert_pem.empty() != cfg.client_key_pem.empty())
    return failure(cfg.client_cert_pem.empty()
                     ? "client-key given without client-certificate"
                     : "client-certificate given without client-key");
  auto certs = read_certificates(cfg.client_cert_pem, "client-certificate");
  if (!certs)
    return failure(certs.error());
  auto bio = memory_bio(cfg.client_key_pem);
  ERR_clear_error();
  pkey_ptr key{
    PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr),
    &EVP_PKEY_free};
  if (!key)
    return failure("client-key is not an unencrypted PEM private key ("
                   + openssl_reason() + ")");
  if (SSL_CTX_use_certificate(ctx, certs->front().get()) != 1)
    return failure("client-certificate unusable (" + openssl_reason() + ")");
  for (std::size_t i = 1; i < certs->size(); ++i)
    if (SSL_CTX_add1_chain_cert(ctx, (*certs)[i].get()) != 1)
      return failure("client-certificate chain unusable (" + openssl_reason()
                     + ")");
  if (SSL_CTX_use_PrivateKey(ctx, key.get()) != 1
      || SSL_CTX_check_private_key(ctx) != 1)
    return failure("client-key does not match client-certificate ("
                   + openssl_reason() + ")");
  return {};
}

tl::expected<std::shared_ptr<ssl::context>, std::string>
make_context(const client_config& cfg) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
  boost::system::error_code ec;
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2
                     | ssl::context::no_sslv3 | ssl::context::no_tlsv1
                     | ssl::context::no_tlsv1_1,
                   ec);
  SSL_CTX* native = ctx->native_handle();
  if (!cfg.ca_pem.empty()) {
    if (auto r = add_authorities(native, cfg.ca_pem); !r)
      return failure(r.error());
  } else if (!cfg.insecure_skip_tls_verify) {
    ctx->set_default_verify_paths(ec);
    if (ec)
      return failure("system trust store unusable: " + ec.message());
  }
  if (!cfg.client_cert_pem.empty() || !cfg.client_key_pem.empty())
    if (auto r = add_identity(native, cfg); !r)
      return failure(r.error());
  ctx->set_verify_mode(
    cfg.insecure_skip_tls_verify ? ssl::verify_none : ssl::verify_peer, ec);
  return ctx;
}

} // namespace

bool is_ip_literal(const std::string& host) {
  boost::system::error_code ec;
  boost::asio::ip::make_address(host, ec);
  return !ec;
}

tl::expected<server_endpoint, std::string>
make_server_endpoint(const client_config& cfg) {
  auto prefixed = [&cfg](const std::string& what) {
    return failure(cfg.source.empty() ? what : cfg.source + ": " + what);
  };
  if (cfg.host.empty())
    return prefixed("no API server host");
  server_endpoint e;
  e.host = cfg.host;
  e.port = !cfg.port.empty() ? cfg.port : cfg.tls ? "443" : "80";
  e.authority = (cfg.host.find(':') != std::string::npos ? "[" + cfg.host + "]"
                                                         : cfg.host)
                + ":" + e.port;
  if (!cfg.tls)
    return e;
  auto ctx = make_context(cfg);
  if (!ctx)
    return prefixed(ctx.error());
  e.tls = std::move(*ctx);
  e.verify = !cfg.insecure_skip_tls_verify;
  e.verify_name = !cfg.tls_server_name.empty() ? cfg.tls_server_name : cfg.host;
  // k8s-api.md §1.9: "Do not set SNI to an IP literal."
  if (!is_ip_literal(e.verify_name))
    e.sni = e.verify_name;
  return e;
}

} // namespace porter::k8s::io
