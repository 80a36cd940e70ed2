#include "forms_common.h"
namespace pvx::difftest {
std::vector<Form> x87Forms() { return {}; }
}
