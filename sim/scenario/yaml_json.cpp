#include "sim/scenario/yaml_json.hpp"

#include <regex>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <yaml-cpp/yaml.h>

namespace porter::sim {

namespace {

using writer = rapidjson::Writer<rapidjson::StringBuffer>;

/// YAML 1.2 core schema (§10.3.2) resolution of a plain scalar.
void write_plain(const std::string& v, writer& w) {
  static const std::regex integer{"[-+]?[0-9]+"};
  static const std::regex octal{"0o[0-7]+"};
  static const std::regex hex{"0x[0-9a-fA-F]+"};
  static const std::regex real{
    R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)"};
  if (v.empty() || v == "~" || v == "null" || v == "Null" || v == "NULL") {
    w.Null();
  } else if (v == "true" || v == "True" || v == "TRUE") {
    w.Bool(true);
  } else if (v == "false" || v == "False" || v == "FALSE") {
    w.Bool(false);
  } else if (std::regex_match(v, integer)) {
    try {
      w.Int64(std::stoll(v));
    } catch (const std::out_of_range&) {
      w.RawValue(v.c_str(), v.size(), rapidjson::kNumberType);
    }
  } else if (std::regex_match(v, octal)) {
    w.Int64(std::stoll(v.substr(2), nullptr, 8));
  } else if (std::regex_match(v, hex)) {
    w.Int64(std::stoll(v.substr(2), nullptr, 16));
  } else if (std::regex_match(v, real)) {
    w.Double(std::stod(v));
  } else {
    w.String(v.c_str(), static_cast<rapidjson::SizeType>(v.size()));
  }
}

void write_node(const YAML::Node& n, writer& w) {
  switch (n.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      w.Null();
      return;
    case YAML::NodeType::Scalar: {
      const auto& v = n.Scalar();
      // "!" is a quoted scalar's tag, "?" a plain one's.
      if (n.Tag() == "?")
        write_plain(v, w);
      else
        w.String(v.c_str(), static_cast<rapidjson::SizeType>(v.size()));
      return;
    }
    case YAML::NodeType::Sequence:
      w.StartArray();
      for (const auto& item : n)
        write_node(item, w);
      w.EndArray();
      return;
    case YAML::NodeType::Map:
      w.StartObject();
      for (const auto& kv : n) {
        const auto& key = kv.first.Scalar();
        w.Key(key.c_str(), static_cast<rapidjson::SizeType>(key.size()));
        write_node(kv.second, w);
      }
      w.EndObject();
      return;
  }
}

} // namespace

tl::expected<std::vector<std::string>, std::string>
yaml_documents_to_json(std::string_view yaml) {
  std::vector<YAML::Node> docs;
  try {
    docs = YAML::LoadAll(std::string{yaml});
  } catch (const YAML::Exception& e) {
    return tl::unexpected{"line " + std::to_string(e.mark.line + 1)
                          + ", column " + std::to_string(e.mark.column + 1)
                          + ": " + e.msg};
  }
  std::vector<std::string> out;
  for (const auto& d : docs) {
    if (d.IsNull())
      continue;
    rapidjson::StringBuffer buf;
    writer w{buf};
    write_node(d, w);
    out.emplace_back(buf.GetString(), buf.GetSize());
  }
  return out;
}

} // namespace porter::sim
