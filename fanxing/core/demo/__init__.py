"""The demo dataset of `fanxing demo`: Laoshan district's technology-transfer platform at the seed's scale.

16 universities and institutes (青岛大学 first), the district bureau, enterprises, agencies, PoC platforms
and investors; 411 published achievements made from CSL paper records and 118 published demands, plus
records in every other workflow state; demo logins for each role. See docs/demo.md.

- `load_demo()` runs the named steps of `STEPS` (idempotent: records by number, users by username).
- `demo_pairs()` gives (demand ref, achievement ref): the achievement that answers each demo demand.
"""

from fanxing.core.demo.catalogue import DEMO_PASSWORD
from fanxing.core.demo.data import DemoData, demo_pairs
from fanxing.core.demo.loader import STEPS, DemoContext, LoginRow, Step, load_demo

__all__ = ["DEMO_PASSWORD", "STEPS", "DemoContext", "DemoData", "LoginRow", "Step", "demo_pairs", "load_demo"]
