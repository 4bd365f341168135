// Private: the per-section parsers that spec_parse*.cpp share.
#pragma once

#include "core/json_reader.hpp"
#include "minirunc/spec.hpp"

namespace minirunc::spec::detail {

IdMapping parse_id_mapping(const Reader& r);
Process parse_process_object(const Reader& r);
Linux parse_linux_object(const Reader& r);
Resources parse_resources_object(const Reader& r);

}  // namespace minirunc::spec::detail
