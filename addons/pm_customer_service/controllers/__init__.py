from . import portal
from . import database
from . import rating
