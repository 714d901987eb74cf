"""One login per role for trying the demo, and the inspectors of its internal control system."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from cooperatives import roles
from cooperatives.models import Membership

# For the demo only: printed when the accounts are created, documented in the README.
DEMO_PASSWORD = "minka-demo"

# username, first name, last name, role (None: superuser)
ACCOUNTS = [
    ("admin", "Admin", "Minka", None),
    ("gerente", "Rosa Elena", "Tuanama Ríos", roles.MANAGER),
    ("campo", "Walter", "Panduro Salas", roles.FIELD_OFFICER),
    ("socio", "Giulia", "Bianchi", roles.PARTNER),
    ("auditor", "Carlos", "Mendoza Vela", roles.AUDITOR),
]


def demo_accounts(cooperative):
    """Create what is missing of the demo accounts; return ({username: user}, [usernames created])."""
    User = get_user_model()
    groups = {group.name: group for group in Group.objects.filter(name__in=roles.ALL)}
    password = None
    users, created = {}, []
    for username, first_name, last_name, role in ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            # One hash for all: hashing is deliberately slow, and the password is the same.
            password = password or make_password(DEMO_PASSWORD)
            user = User.objects.create(
                username=username,
                first_name=first_name,
                last_name=last_name,
                email=f"{username}@example.org",
                password=password,
                is_staff=True,
                is_superuser=role is None,
            )
            if role:
                user.groups.add(groups[role])
            created.append(username)
        Membership.objects.get_or_create(user=user, cooperative=cooperative)
        users[username] = user
    return users, created


def inspector(cooperative, username, first_name, last_name):
    """A field officer of `cooperative` who cannot log in until given a password."""
    User = get_user_model()
    user, made = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "email": f"{username}@example.org",
            "password": make_password(None),
            "is_staff": True,
        },
    )
    if made:
        user.groups.add(Group.objects.get(name=roles.FIELD_OFFICER))
    Membership.objects.get_or_create(user=user, cooperative=cooperative)
    return user
