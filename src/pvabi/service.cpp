#include "pvabi/service.h"

namespace pvx::pv {

void Service::registerStats(Stats& s, const std::string& prefix) const {
    s.counter(prefix + "calls", &calls);
    s.counter(prefix + "continuations", &continuations);
    s.counter(prefix + "errors", &errors);
    registerOwnStats(s, prefix);
}

}  // namespace pvx::pv
