"""F1 reference data: seasons, constructors, drivers, their season entries, races."""

from piccolo.columns import Boolean, ForeignKey, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.column_types import OnDelete
from piccolo.constraints import Unique
from piccolo.table import Table

from draftroom.db.engine import DB


class Season(Table, tablename="season", db=DB):
    """A championship year."""

    id = Serial(primary_key=True)

    year = Integer(unique=True)


class Constructor(Table, tablename="constructor", db=DB):
    """A team of the F1 championship, keyed by Jolpica's ``constructorId`` (``ref``)."""

    id = Serial(primary_key=True)

    ref = Varchar(length=64, unique=True)  # type: ignore[assignment]  # shadows Table.ref
    name = Varchar(length=128)
    nationality = Varchar(length=64, default="")
    color = Varchar(length=7, default="#888888")


class Driver(Table, tablename="driver", db=DB):
    """A driver, keyed by Jolpica's ``driverId`` (``ref``)."""

    id = Serial(primary_key=True)

    ref = Varchar(length=64, unique=True)  # type: ignore[assignment]  # shadows Table.ref
    code = Varchar(length=3, null=True, default=None)
    number = Integer(null=True, default=None)
    given_name = Varchar(length=64)
    family_name = Varchar(length=64)
    nationality = Varchar(length=64, default="")
    constructor = ForeignKey(Constructor, null=True, on_delete=OnDelete.set_null)
    active = Boolean(default=True)


class DriverEntry(Table, tablename="driver_entry", db=DB):
    """A driver entered in a season (the draftable pool when active)."""

    id = Serial(primary_key=True)

    season = Integer(index=True)
    driver = ForeignKey(Driver, on_delete=OnDelete.cascade)
    constructor = ForeignKey(Constructor, null=True, on_delete=OnDelete.set_null)
    active = Boolean(default=True)
    unique_season_driver = Unique(["season", "driver"])


class Race(Table, tablename="race", db=DB):
    """A race weekend; status: scheduled, awaiting_results, provisional, final, cancelled."""

    id = Serial(primary_key=True)

    season = Integer(index=True)
    round = Integer()
    name = Varchar(length=128)
    circuit = Varchar(length=128, default="")
    country = Varchar(length=64, default="")
    starts_at = Timestamptz()
    qualifying_at = Timestamptz()
    sprint_qualifying_at = Timestamptz(null=True, default=None)
    sprint_at = Timestamptz(null=True, default=None)
    status = Varchar(length=24, default="scheduled")
    unique_season_round = Unique(["season", "round"])


class RaceEntryChange(Table, tablename="race_entry_change", db=DB):
    """A change to one race's entry list (the season's entrants): ``out_driver`` replaced by
    ``in_driver`` (a substitution) or withdrawn (``in_driver`` null). ``source`` is
    ``admin`` or ``results`` (inferred when the results arrive)."""

    id = Serial(primary_key=True)

    race = ForeignKey(Race, on_delete=OnDelete.cascade)
    out_driver = ForeignKey(Driver, on_delete=OnDelete.cascade)
    in_driver = ForeignKey(Driver, null=True, on_delete=OnDelete.cascade)
    constructor = ForeignKey(Constructor, null=True, on_delete=OnDelete.set_null)
    source = Varchar(length=16, default="admin")
    created_at = Timestamptz()
    unique_race_out = Unique(["race", "out_driver"])
    unique_race_in = Unique(["race", "in_driver"])
